import { describe, expect, it } from 'vitest';
import {
  type Actor,
  type Case,
  type Stamp,
  addMessage,
  addNote,
  assertAllowedFields,
  cancelCase,
  createCase,
  patchCase,
  reactivateCase,
  resolveCase,
  stateOfStatus,
  visibleTo,
} from '../../shared/domain/case';
import { DomainError } from '../../shared/domain/errors';

const agent: Actor = { sub: 'agent-1', kind: 'staff' };
const customer: Actor = { sub: 'cust-1', kind: 'customer' };
let n = 0;
const at = (iso: string): Stamp => ({ now: iso, newId: () => `e${++n}` });
const T0 = '2026-01-01T10:00:00.000Z';

const fresh = (by: Actor = customer): Case =>
  createCase({ title: 'Broken', description: 'It broke', customerId: 'c1' }, { id: 'case-1', ticketNumber: 'CAS-01001-AAAAAA' }, by, at(T0)).case;

const kindOf = (e: unknown) => (e instanceof DomainError ? e.kind : 'not a domain error');
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('creating a case', () => {
  it('starts active/new at version 1 with a public created entry', () => {
    const { case: c, entries } = createCase({ title: 't', description: 'd', customerId: 'c1' }, { id: 'x', ticketNumber: 'CAS-1' }, customer, at(T0));
    expect(c).toMatchObject({ state: 'active', status: 'new', version: 1, origin: 'web', priority: 'normal', caseType: 'question', firstResponseAt: null });
    expect(entries.map((e) => [e.kind, e.visibility])).toEqual([['created', 'public']]);
  });
  it('defaults an agent-opened case to the phone and records an internal assignment', () => {
    const { case: c, entries } = createCase({ title: 't', description: 'd', customerId: 'c1', ownerId: 'a1' }, { id: 'x', ticketNumber: 'CAS-1' }, agent, at(T0));
    expect(c.origin).toBe('phone');
    expect(entries.map((e) => [e.kind, e.visibility])).toEqual([['created', 'public'], ['assignment', 'internal']]);
  });
});

describe('status and state', () => {
  it('maps every status reason to its state', () => {
    expect(stateOfStatus('researching')).toBe('active');
    expect(stateOfStatus('information_provided')).toBe('resolved');
    expect(stateOfStatus('merged')).toBe('cancelled');
  });
  it('allows any active status through a patch but not resolved or cancelled ones', () => {
    const c = fresh();
    const r = patchCase(c, { status: 'on_hold' }, agent, at(T0));
    expect(r.case.status).toBe('on_hold');
    expect(r.entries.map((e) => e.kind)).toEqual(['status_change']);
    expect(kindOf(thrown(() => patchCase(c, { status: 'problem_solved' }, agent, at(T0))))).toBe('invalid-transition');
  });
  it('treats a patch that changes nothing as no change (no version bump)', () => {
    const c = fresh();
    const r = patchCase(c, { title: 'Broken', priority: 'normal' }, agent, at(T0));
    expect(r.changed).toBe(false);
    expect(r.case.version).toBe(1);
  });
  it('splits a patch into status, assignment (internal) and field changes', () => {
    const r = patchCase(fresh(), { status: 'in_progress', ownerId: 'a1', title: 'New title', priority: 'high' }, agent, at(T0));
    expect(r.entries.map((e) => [e.kind, e.visibility])).toEqual([
      ['status_change', 'public'],
      ['assignment', 'internal'],
      ['field_change', 'internal'],
    ]);
    expect(r.case.version).toBe(2);
  });
  it('makes closed cases read-only until reactivated', () => {
    const resolved = resolveCase(fresh(), { resolutionType: 'problem_solved', text: 'done', minutesSpent: 5 }, agent, at(T0)).case;
    for (const f of [
      () => patchCase(resolved, { title: 'x' }, agent, at(T0)),
      () => addMessage(resolved, 'hi', customer, at(T0)),
      () => resolveCase(resolved, { resolutionType: 'problem_solved', text: 'again', minutesSpent: 1 }, agent, at(T0)),
      () => cancelCase(resolved, undefined, agent, at(T0)),
    ])
      expect(kindOf(thrown(f))).toBe('invalid-transition');
    // notes stay possible for documentation
    expect(addNote(resolved, 'follow-up call done', agent, at(T0)).case.version).toBe(resolved.version + 1);
  });
});

describe('resolution, cancellation and reactivation', () => {
  it('records the resolution and clears it on reactivation', () => {
    const r = resolveCase(fresh(), { resolutionType: 'information_provided', text: 'See KB-12', minutesSpent: 12 }, agent, at('2026-01-02T00:00:00.000Z'));
    expect(r.case).toMatchObject({ state: 'resolved', status: 'information_provided', resolvedAt: '2026-01-02T00:00:00.000Z' });
    expect(r.case.resolution).toEqual({ type: 'information_provided', text: 'See KB-12', minutesSpent: 12, resolvedBy: 'agent-1', resolvedAt: '2026-01-02T00:00:00.000Z' });
    const back = reactivateCase(r.case, 'not fixed', customer, at('2026-01-03T00:00:00.000Z'), 7);
    expect(back.case).toMatchObject({ state: 'active', status: 'in_progress', resolution: null, resolvedAt: null });
  });
  it('lets a customer reopen only within the window, and only resolved cases', () => {
    const resolved = resolveCase(fresh(), { resolutionType: 'problem_solved', text: 'x', minutesSpent: 1 }, agent, at('2026-01-01T00:00:00.000Z')).case;
    expect(reactivateCase(resolved, undefined, customer, at('2026-01-08T00:00:00.000Z'), 7).case.state).toBe('active');
    expect(kindOf(thrown(() => reactivateCase(resolved, undefined, customer, at('2026-01-08T00:00:00.001Z'), 7)))).toBe('invalid-transition');
    expect(reactivateCase(resolved, undefined, agent, at('2027-01-01T00:00:00.000Z'), 7).case.state).toBe('active');
    const cancelled = cancelCase(fresh(), 'dup', customer, at(T0)).case;
    expect(kindOf(thrown(() => reactivateCase(cancelled, undefined, customer, at(T0), 7)))).toBe('invalid-transition');
    expect(reactivateCase(cancelled, undefined, agent, at(T0), 7).case.status).toBe('in_progress');
  });
  it('never reactivates a merged case or an active one', () => {
    const merged: Case = { ...fresh(), state: 'cancelled', status: 'merged' };
    expect(kindOf(thrown(() => reactivateCase(merged, undefined, agent, at(T0), 7)))).toBe('invalid-transition');
    expect(kindOf(thrown(() => reactivateCase(fresh(), undefined, agent, at(T0), 7)))).toBe('invalid-transition');
  });
});

describe('conversation', () => {
  it('sets the first-response time on the first public staff message only', () => {
    const c = fresh();
    const fromCustomer = addMessage(c, 'any news?', customer, at('2026-01-01T11:00:00.000Z')).case;
    expect(fromCustomer.firstResponseAt).toBeNull();
    const note = addNote(fromCustomer, 'looking', agent, at('2026-01-01T11:30:00.000Z')).case;
    expect(note.firstResponseAt).toBeNull();
    const first = addMessage(note, 'on it', agent, at('2026-01-01T12:00:00.000Z')).case;
    expect(first.firstResponseAt).toBe('2026-01-01T12:00:00.000Z');
    const second = addMessage(first, 'done', agent, at('2026-01-01T13:00:00.000Z')).case;
    expect(second.firstResponseAt).toBe('2026-01-01T12:00:00.000Z');
  });
  it('hides internal entries from customers', () => {
    const c = fresh();
    const entries = [...addMessage(c, 'public', agent, at(T0)).entries, ...addNote(c, 'secret', agent, at(T0)).entries];
    expect(visibleTo(entries, 'customer').map((e) => e.body)).toEqual(['public']);
    expect(visibleTo(entries, 'staff')).toHaveLength(2);
  });
});

describe('field permissions', () => {
  it('names every field the caller may not set', () => {
    const e = thrown(() => assertAllowedFields({ title: 'x', ownerId: 'a', status: 'new' }, ['title'], 'customers')) as DomainError;
    expect(e.kind).toBe('forbidden-fields');
    expect(e.errors.map((i) => i.path)).toEqual(['ownerId', 'status']);
  });
});
