/** Subject tree and product catalogue. */
import { validationError } from './errors';

export interface Subject {
  id: string;
  name: string;
  parentId: string | null;
  /** ids from the root down to this subject, inclusive */
  path: string[];
  description: string | null;
  createdAt: string;
}

export const MAX_SUBJECT_DEPTH = 8;

export function makeSubject(
  input: { id: string; name: string; description?: string | null; now: string },
  parent: Subject | null,
): Subject {
  const path = parent ? [...parent.path, input.id] : [input.id];
  if (path.length > MAX_SUBJECT_DEPTH)
    throw validationError('The subject tree is too deep.', [
      { path: 'parentId', code: 'too_deep', message: `subjects nest at most ${MAX_SUBJECT_DEPTH} levels` },
    ]);
  return {
    id: input.id,
    name: input.name,
    parentId: parent?.id ?? null,
    path,
    description: input.description ?? null,
    createdAt: input.now,
  };
}

/** True when `subject` is `ancestorId` or lies below it. */
export const isWithin = (subject: Subject, ancestorId: string) => subject.path.includes(ancestorId);

export interface Product {
  id: string;
  name: string;
  code: string;
  family: string | null;
  description: string | null;
  createdAt: string;
}

export const productCodeKey = (code: string) => code.trim().toUpperCase();
