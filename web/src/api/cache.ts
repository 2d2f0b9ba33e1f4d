/** Reference data that rarely changes, fetched once per session and shared by every page. */
import { useEffect, useState } from 'react';
import { listAgents, listProducts, listQueues, listSubjects } from './endpoints';
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

type Names = Map<string, string>;
let agents: Promise<Names> | null = null;
let queues: Promise<Names> | null = null;
const names = (items: { id: string; name: string }[]): Names => new Map(items.map((x) => [x.id, x.name]));
export const cachedAgentNames = () => (agents ??= remember(async () => names(await listAgents()), () => { agents = null; }));
export const cachedQueueNames = () => (queues ??= remember(async () => names(await listQueues()), () => { queues = null; }));

/** After an admin changed agents or queues: names are loaded again on next use. */
export function invalidateDirectory() {
  agents = null;
  queues = null;
}

export function clearCaches() {
  subjects = null;
  products = null;
  agents = null;
  queues = null;
}

const EMPTY: { agents: Names; queues: Names } = { agents: new Map(), queues: new Map() };

/**
 * Names of agents and queues for staff (customers may not list them: pass `enabled` false and
 * the ids stay short ids). Until loaded, the maps are empty.
 */
export function useDirectory(enabled: boolean) {
  const [dir, setDir] = useState(EMPTY);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    Promise.all([cachedAgentNames(), cachedQueueNames()])
      .then(([a, q]) => {
        if (live) setDir({ agents: a, queues: q });
      })
      .catch(() => undefined); // names are a nicety: short ids remain
    return () => {
      live = false;
    };
  }, [enabled]);
  return dir;
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
