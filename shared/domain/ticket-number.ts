/**
 * Ticket numbers: `{PREFIX}-{SERIAL}-{RANDOM}`, e.g. `CAS-01001-K7F2Q9`.
 * The serial comes from an atomic counter (unique by construction; gaps allowed when a write
 * fails after allocation). The random part makes numbers hard to guess, not unique.
 */
export interface TicketFormat {
  prefix: string; // 1..3 upper-case letters or digits
  serialStart: number; // first serial handed out
  serialPadding: number; // zero-padded width of the serial
  randomLength: number; // 0..10 characters from an unambiguous alphabet
}

export const DEFAULT_TICKET_FORMAT: TicketFormat = { prefix: 'CAS', serialStart: 1001, serialPadding: 5, randomLength: 6 };

/** No 0/O, 1/I/L, U: easy to read aloud on the phone. */
export const TICKET_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

export function validateTicketFormat(f: TicketFormat): string[] {
  const problems: string[] = [];
  if (!/^[A-Z0-9]{1,3}$/.test(f.prefix)) problems.push('prefix must be 1 to 3 upper-case letters or digits');
  if (!Number.isInteger(f.serialStart) || f.serialStart < 0) problems.push('serialStart must be a non-negative integer');
  if (!Number.isInteger(f.serialPadding) || f.serialPadding < 1 || f.serialPadding > 12)
    problems.push('serialPadding must be 1 to 12');
  if (!Number.isInteger(f.randomLength) || f.randomLength < 0 || f.randomLength > 10)
    problems.push('randomLength must be 0 to 10');
  return problems;
}

/** `counterValue` is the counter after an atomic increment from 0: 1, 2, 3... */
export function serialFromCounter(f: TicketFormat, counterValue: number): number {
  return f.serialStart + counterValue - 1;
}

export function formatTicketNumber(f: TicketFormat, serial: number, randomBytes: Uint8Array): string {
  const serialPart = String(serial).padStart(f.serialPadding, '0');
  let random = '';
  for (let i = 0; i < f.randomLength; i++) random += TICKET_ALPHABET[(randomBytes[i] ?? 0) % TICKET_ALPHABET.length];
  return random ? `${f.prefix}-${serialPart}-${random}` : `${f.prefix}-${serialPart}`;
}

/** Shape check only (any configured format); used to refuse malformed path parameters early. */
export const TICKET_NUMBER_PATTERN = /^[A-Z0-9]{1,3}-[0-9]{1,15}(-[A-Z0-9]{1,10})?$/;

export function normaliseTicketNumber(raw: string): string | undefined {
  const t = raw.trim().toUpperCase();
  return TICKET_NUMBER_PATTERN.test(t) ? t : undefined;
}

export function ticketFormatFromEnv(env: Record<string, string | undefined>): TicketFormat {
  const f: TicketFormat = {
    prefix: env.TICKET_PREFIX ?? DEFAULT_TICKET_FORMAT.prefix,
    serialStart: env.TICKET_SERIAL_START ? Number(env.TICKET_SERIAL_START) : DEFAULT_TICKET_FORMAT.serialStart,
    serialPadding: env.TICKET_SERIAL_PADDING ? Number(env.TICKET_SERIAL_PADDING) : DEFAULT_TICKET_FORMAT.serialPadding,
    randomLength: env.TICKET_RANDOM_LENGTH ? Number(env.TICKET_RANDOM_LENGTH) : DEFAULT_TICKET_FORMAT.randomLength,
  };
  const problems = validateTicketFormat(f);
  if (problems.length) throw new Error(`Invalid ticket number configuration: ${problems.join('; ')}`);
  return f;
}
