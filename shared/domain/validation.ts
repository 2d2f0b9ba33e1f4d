/**
 * The pieces every validator of untrusted configuration shares (routing rules, calendars...):
 * an issue list with exact paths, type names for messages, and the text check.
 */
import type { FieldIssue } from './errors';

export class Issues {
  readonly list: FieldIssue[] = [];
  add(path: string, code: string, message: string) {
    this.list.push({ path, code, message });
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
export const quote = (s: string) => `'${s.length > 60 ? `${s.slice(0, 57)}...` : s}'`;

/** Required, text, not blank, at most `max` characters; true when it is. */
export function checkString(v: unknown, path: string, max: number, issues: Issues): v is string {
  if (v === undefined) issues.add(path, 'required', 'is required');
  else if (typeof v !== 'string') issues.add(path, 'invalid_type', `must be text, got ${typeName(v)}`);
  else if (!v.trim()) issues.add(path, 'too_small', 'must not be blank');
  else if (v.length > max) issues.add(path, 'too_big', `at most ${max} characters`);
  else return true;
  return false;
}
