import { type Product, type Subject, makeSubject } from '../domain/catalog';
import { validationError } from '../domain/errors';
import { type Caller, requireAdmin } from './caller';
import type { Deps } from './deps';

export async function addSubject(
  deps: Deps,
  caller: Caller,
  input: { name: string; parentId?: string | null; description?: string },
): Promise<Subject> {
  requireAdmin(caller);
  let parent: Subject | null = null;
  if (input.parentId) {
    parent = (await deps.catalog.getSubject(input.parentId)) ?? null;
    if (!parent)
      throw validationError('The parent subject does not exist.', [
        { path: 'parentId', code: 'unknown_reference', message: `no subject with id '${input.parentId}'` },
      ]);
  }
  const s = makeSubject({ id: deps.ids.id(), name: input.name, description: input.description, now: deps.clock.now().toISOString() }, parent);
  await deps.catalog.createSubject(s);
  return s;
}

export async function listSubjects(deps: Deps) {
  const subjects = await deps.catalog.listSubjects();
  // parents before children, siblings by name: a tree in reading order
  const depth = (s: Subject) => s.path.length;
  return subjects.sort((a, b) => depth(a) - depth(b) || a.name.localeCompare(b.name));
}

export async function addProduct(
  deps: Deps,
  caller: Caller,
  input: { name: string; code: string; family?: string; description?: string },
): Promise<Product> {
  requireAdmin(caller);
  const p: Product = {
    id: deps.ids.id(),
    name: input.name,
    code: input.code,
    family: input.family ?? null,
    description: input.description ?? null,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.catalog.createProduct(p);
  return p;
}
