/** Reference data that rarely changes, fetched once per session and shared by every page. */
import { listProducts, listSubjects } from './endpoints';
import type { Product, Subject } from './types';

let subjects: Promise<Subject[]> | null = null;
let products: Promise<Product[]> | null = null;

const remember = <T,>(load: () => Promise<T>, clear: () => void) => {
  const p = load();
  p.catch(clear); // a failed load is retried next time
  return p;
};

export const cachedSubjects = () => (subjects ??= remember(() => listSubjects(), () => { subjects = null; }));
export const cachedProducts = () => (products ??= remember(() => listProducts(), () => { products = null; }));

export function clearCaches() {
  subjects = null;
  products = null;
}

export interface SubjectOption {
  id: string;
  name: string;
  depth: number;
}

/** The flat subject list as a tree in display order: each parent followed by its children. */
export function subjectTree(items: Subject[], collator: Intl.Collator): SubjectOption[] {
  const byParent = new Map<string | null, Subject[]>();
  const ids = new Set(items.map((s) => s.id));
  for (const s of items) {
    const parent = s.parentId && ids.has(s.parentId) ? s.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), s]);
  }
  const out: SubjectOption[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const s of [...(byParent.get(parent) ?? [])].sort((a, b) => collator.compare(a.name, b.name))) {
      out.push({ id: s.id, name: s.name, depth });
      if (depth < 16) walk(s.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** "Software › Installation" for a subject id. */
export function subjectPathName(items: Subject[], id: string | null): string | null {
  if (!id) return null;
  const s = items.find((x) => x.id === id);
  if (!s) return null;
  return s.path.map((p) => items.find((x) => x.id === p)?.name ?? '?').join(' › ');
}
