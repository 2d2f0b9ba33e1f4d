/** Shared builders for the routing tests. */
import type { RoutingFacts, RoutingRefs, RoutingRule } from '../../../shared/domain/routing';
import { mulberry32 } from '../../../shared/prng';

export const baseFacts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  caseType: 'problem',
  priority: 'normal',
  origin: 'web',
  subjectPath: ['hw', 'hw-printers', 'hw-printers-laser'],
  productId: 'p-x200',
  customerTier: 'standard',
  language: 'en',
  title: 'The printer is jammed',
  description: 'Paper jam in tray 2, error E-42. Since Monday.',
  tags: ['Onboarding', 'eu'],
  custom: { deviceModel: 'X200', score: 0.25, warranty: true, region: null },
  ...over,
});

export const refs: RoutingRefs = {
  queueIds: new Set(['q-it', 'q-edu', 'q-vip', 'q-default']),
  subjectIds: new Set(['hw', 'hw-printers', 'hw-printers-laser', 'hw-scanners', 'training']),
  productIds: new Set(['p-x200', 'p-x300']),
  agentIds: new Set(['a-sara', 'a-tom']),
};

let seq = 0;
export const rule = (over: Partial<RoutingRule> = {}): RoutingRule => {
  seq++;
  return {
    id: `r${seq}`,
    name: `Rule ${seq}`,
    enabled: true,
    order: seq,
    conditions: { field: 'caseType', op: 'eq', value: 'problem' },
    actions: { queueId: 'q-it' },
    ...over,
  };
};

/** mulberry32: a small seeded PRNG, so failures reproduce. */
export function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const some = <T>(xs: readonly T[], max = 3): T[] => {
    const n = 1 + int(Math.min(max, xs.length));
    const out = new Set<T>();
    while (out.size < n) out.add(pick(xs));
    return [...out];
  };
  return { next, int, pick, some, chance: (p: number) => next() < p };
}
