import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TICKET_FORMAT,
  TICKET_ALPHABET,
  formatTicketNumber,
  normaliseTicketNumber,
  serialFromCounter,
  ticketFormatFromEnv,
  validateTicketFormat,
} from '../../shared/domain/ticket-number';

describe('ticket numbers', () => {
  it('formats PREFIX-SERIAL-RANDOM with padding and the unambiguous alphabet', () => {
    const n = formatTicketNumber(DEFAULT_TICKET_FORMAT, serialFromCounter(DEFAULT_TICKET_FORMAT, 1), new Uint8Array([0, 1, 2, 3, 4, 29]));
    expect(n).toBe('CAS-01001-ABCDE9');
    expect(TICKET_ALPHABET).not.toMatch(/[01ILOU]/);
  });
  it('honours a custom format and grows past the padding', () => {
    const f = { prefix: 'HD', serialStart: 1, serialPadding: 3, randomLength: 0 };
    expect(formatTicketNumber(f, serialFromCounter(f, 1), new Uint8Array())).toBe('HD-001');
    expect(formatTicketNumber(f, 12345, new Uint8Array())).toBe('HD-12345');
  });
  it('maps distinct counter values to distinct serials', () => {
    const serials = new Set(Array.from({ length: 1000 }, (_, i) => serialFromCounter(DEFAULT_TICKET_FORMAT, i + 1)));
    expect(serials.size).toBe(1000);
  });
  it('validates configuration', () => {
    expect(validateTicketFormat({ prefix: 'CASE', serialStart: -1, serialPadding: 0, randomLength: 11 })).toHaveLength(4);
    expect(() => ticketFormatFromEnv({ TICKET_PREFIX: 'toolong' })).toThrow(/prefix/);
    expect(ticketFormatFromEnv({ TICKET_PREFIX: 'SR', TICKET_RANDOM_LENGTH: '4' })).toMatchObject({ prefix: 'SR', randomLength: 4 });
  });
  it('normalises user input and refuses what cannot be a ticket number', () => {
    expect(normaliseTicketNumber(' cas-01001-k7f2q9 ')).toBe('CAS-01001-K7F2Q9');
    expect(normaliseTicketNumber('CAS-01001')).toBe('CAS-01001');
    expect(normaliseTicketNumber('DROP TABLE')).toBeUndefined();
    expect(normaliseTicketNumber('CASE-1-X')).toBeUndefined();
  });
});
