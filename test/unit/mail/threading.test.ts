import { describe, expect, it } from 'vitest';
import { MAX_THREAD_KEYS, type ThreadKey, decideThread, plusAddressTokens, threadKeys, ticketTokens } from '../../../shared/domain/mail/threading';
import type { ThreadCase } from '../../../shared/domain/mail/types';
import { DEFAULT_TICKET_FORMAT, type TicketFormat } from '../../../shared/domain/ticket-number';
import { inbound } from './support';

const F = DEFAULT_TICKET_FORMAT;
const T = 'CAS-01001-K7F2Q9';
const SUPPORT = ['support@example.com'];

describe('ticketTokens', () => {
  it.each<[string, string[]]>([
    [`[${T}] Printer`, [T]],
    [`Re: [${T}]`, [T]],
    [`AW: WG: [${T.toLowerCase()}] Drucker`, [T]],
    [`پاسخ: [${T}] چاپگر`, [T]],
    [`回复: ［${T}］`, [T]],
    [`RE: [ ${T} ]`, [T]],
    [`[CAS-۰۱۰۰۱-K7F2Q9] Persian digits`, [T]],
    [`[${T}] and again [${T}] and [CAS-01002-ABCDEF]`, [T, 'CAS-01002-ABCDEF']],
    [`[CAS-123456789-K7F2Q9] serial outgrew its padding`, ['CAS-123456789-K7F2Q9']],
    [`${T} without brackets`, []],
    [`(${T}) in parentheses`, []],
    ['[CAS-1001-K7F2Q9] too short a serial', []],
    ['[CAS-01001-K7F2Q] random part too short', []],
    ['[CAS-01001-K7F2Q0] zero is not in the alphabet', []],
    ['[ABC-01001-K7F2Q9] another prefix', []],
    ['', []],
  ])('%s', (subject, tokens) => {
    expect(ticketTokens(subject, F)).toEqual(tokens);
  });

  it('follows the configured format', () => {
    const f: TicketFormat = { prefix: 'T', serialStart: 1, serialPadding: 3, randomLength: 0 };
    expect(ticketTokens('[t-007] and [T-0042] and [T-007-ABC]', f)).toEqual(['T-007', 'T-0042']);
  });
});

describe('plusAddressTokens', () => {
  const to = (...addresses: string[]) => addresses.map((address) => ({ address, name: null }));
  it.each<[string[], string[]]>([
    [[`support+${T}@example.com`], [T]],
    [[`Support+${T.toLowerCase()}@Example.com`], [T]],
    [[`sales+${T}@example.com`], []],
    [[`support+${T}@other.example`], []],
    [['support+hello@example.com'], []],
    [['support@example.com'], []],
    [[`support+${T}@example.com`, `support+${T}@example.com`, 'support+CAS-01002-ABCDEF@example.com'], [T, 'CAS-01002-ABCDEF']],
    [['not-an-address'], []],
  ])('%j -> %j', (recipients, tokens) => {
    expect(plusAddressTokens(to(...recipients), [' Support@Example.com '], F)).toEqual(tokens);
  });
});

describe('threadKeys', () => {
  it('orders In-Reply-To, References newest first, subject tokens, plus-addresses; no duplicates', () => {
    const mail = inbound({
      inReplyTo: ['c@us'],
      references: ['a@us', 'b@us', 'c@us'],
      subject: `Re: [${T}]`,
      to: [{ address: `support+${T}@example.com`, name: null }],
      cc: [{ address: 'support+CAS-01002-ABCDEF@example.com', name: null }],
    });
    expect(threadKeys(mail, { format: F, supportAddresses: SUPPORT })).toEqual([
      { match: 'in-reply-to', kind: 'message-id', value: 'c@us' },
      { match: 'references', kind: 'message-id', value: 'b@us' },
      { match: 'references', kind: 'message-id', value: 'a@us' },
      { match: 'ticket-token', kind: 'ticket', value: T },
      { match: 'plus-address', kind: 'ticket', value: 'CAS-01002-ABCDEF' },
    ]);
  });

  it('a mail without any is a new thread', () => {
    expect(threadKeys(inbound(), { format: F, supportAddresses: SUPPORT })).toEqual([]);
  });

  it(`stops at ${MAX_THREAD_KEYS} keys`, () => {
    const references = Array.from({ length: 200 }, (_, i) => `r${i}@x`);
    const keys = threadKeys(inbound({ references, subject: `[${T}]` }), { format: F, supportAddresses: SUPPORT });
    expect(keys).toHaveLength(MAX_THREAD_KEYS);
    expect(keys[0]?.value).toBe('r199@x');
  });
});

const NOW = '2024-03-20T12:00:00.000Z';
const OPTS = { now: NOW, reopenWindowDays: 7 };
const kase = (over: Partial<ThreadCase> = {}): ThreadCase => ({
  id: 'case-a',
  ticketNumber: T,
  state: 'active',
  status: 'open',
  mergedInto: null,
  resolvedAt: null,
  participants: ['anna@example.net', 'support@example.com'],
  ...over,
});
const irt: ThreadKey = { match: 'in-reply-to', kind: 'message-id', value: 'out-1@example.com' };
const token: ThreadKey = { match: 'ticket-token', kind: 'ticket', value: 'CAS-01002-ABCDEF' };
const anna = inbound({ from: { address: 'Anna@Example.net', name: 'Anna' } });

describe('decideThread', () => {
  it('In-Reply-To beats the ticket token', () => {
    const d = decideThread(anna, [{ key: irt, case: kase() }, { key: token, case: kase({ id: 'case-b', ticketNumber: 'CAS-01002-ABCDEF' }) }], OPTS);
    expect(d).toEqual({ kind: 'append', caseId: 'case-a', match: 'in-reply-to', reason: `In-Reply-To <out-1@example.com> matches case ${T}, which is active, and the sender is a participant.` });
  });

  it('a stranger quoting a ticket token gets a new case, never the existing one', () => {
    const mallory = inbound({ from: { address: 'mallory@evil.example', name: null } });
    const d = decideThread(mallory, [{ key: token, case: kase({ ticketNumber: 'CAS-01002-ABCDEF' }) }], OPTS);
    expect(d).toEqual({
      kind: 'new',
      relatedCaseId: null,
      reason: 'No key led to a case the sender takes part in (the ticket token in the subject CAS-01002-ABCDEF names case CAS-01002-ABCDEF, but mallory@evil.example is not a participant): a new case.',
    });
  });

  it('skips a key the sender does not take part in and uses the next one', () => {
    const d = decideThread(anna, [{ key: irt, case: kase({ participants: ['bob@example.net'] }) }, { key: token, case: kase({ id: 'case-b' }) }], OPTS);
    expect(d).toMatchObject({ kind: 'append', caseId: 'case-b', match: 'ticket-token' });
  });

  it('a key without a case is passed over', () => {
    const d = decideThread(anna, [{ key: irt, case: null }, { key: token, case: kase({ id: 'case-b' }) }], OPTS);
    expect(d).toMatchObject({ kind: 'append', caseId: 'case-b' });
  });

  it('resolved within the window reopens', () => {
    const d = decideThread(anna, [{ key: irt, case: kase({ state: 'resolved', resolvedAt: '2024-03-14T12:00:00.000Z' }) }], OPTS);
    expect(d).toEqual({ kind: 'reopen', caseId: 'case-a', match: 'in-reply-to', reason: `In-Reply-To <out-1@example.com> matches case ${T}, resolved within the 7-day reopen window, and the sender is a participant.` });
  });

  it('resolved exactly at the edge of the window still reopens', () => {
    const d = decideThread(anna, [{ key: irt, case: kase({ state: 'resolved', resolvedAt: '2024-03-13T12:00:00.000Z' }) }], OPTS);
    expect(d.kind).toBe('reopen');
  });

  it('resolved after the window opens a new related case', () => {
    const d = decideThread(anna, [{ key: irt, case: kase({ state: 'resolved', resolvedAt: '2024-03-13T11:59:59.000Z' }) }], OPTS);
    expect(d).toEqual({ kind: 'new', relatedCaseId: 'case-a', reason: `In-Reply-To <out-1@example.com> matches case ${T}, which was resolved more than 7 days ago: a new related case.` });
  });

  it('resolved without a readable time is treated as outside the window', () => {
    expect(decideThread(anna, [{ key: irt, case: kase({ state: 'resolved', resolvedAt: null }) }], OPTS)).toMatchObject({ kind: 'new', relatedCaseId: 'case-a' });
    expect(decideThread(anna, [{ key: irt, case: kase({ state: 'resolved', resolvedAt: 'yesterday' }) }], OPTS)).toMatchObject({ kind: 'new', relatedCaseId: 'case-a' });
  });

  it('cancelled opens a new related case', () => {
    const d = decideThread(anna, [{ key: irt, case: kase({ state: 'cancelled' }) }], OPTS);
    expect(d).toEqual({ kind: 'new', relatedCaseId: 'case-a', reason: `In-Reply-To <out-1@example.com> matches case ${T}, which was cancelled: a new related case.` });
  });

  it('a closed case gives way to a live one named by a later key', () => {
    const d = decideThread(anna, [{ key: irt, case: kase({ state: 'cancelled' }) }, { key: token, case: kase({ id: 'case-b' }) }], OPTS);
    expect(d).toMatchObject({ kind: 'append', caseId: 'case-b', match: 'ticket-token' });
  });

  it('no keys: a new case', () => {
    expect(decideThread(anna, [], OPTS)).toEqual({ kind: 'new', relatedCaseId: null, reason: 'The mail carries no earlier message id, ticket token or plus-address: a new case.' });
  });

  it('a merged case that reached us unresolved is passed over', () => {
    const d = decideThread(anna, [{ key: irt, case: kase({ mergedInto: 'case-z' }) }], OPTS);
    expect(d).toMatchObject({ kind: 'new', relatedCaseId: null });
    expect(d.reason).toContain('was merged');
  });

  it('a mail without a sender matches nothing', () => {
    const d = decideThread(inbound({ from: null }), [{ key: irt, case: kase() }], OPTS);
    expect(d.kind).toBe('new');
    expect(d.reason).toContain('the (missing) sender is not a participant');
  });

  it('keeps the reason short when many keys were ignored', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ key: { ...irt, value: `x${i}@us` }, case: null }));
    const d = decideThread(anna, many, OPTS);
    expect(d.reason).toContain('and 3 more');
    expect(d.reason).not.toContain('x7@us');
  });
});
