/**
 * The local runtime's clock: real time plus an offset that only moves forward, so a demo or a test
 * can jump to an SLA warning without waiting for it. Every use case reads it through `deps.clock`
 * (the runtime puts it in the dependencies the handlers use); the local SLA timers translate its
 * instants into real ones for the Wait state and run again when it moves (local/timers.ts).
 *
 * With a data folder the offset is kept in `clock.json`, so a restart does not send time back
 * (cases and timeline entries written "in the future" would otherwise precede their own clock).
 * On AWS nothing of this exists: the functions read the system clock.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { rolesFromClaim } from '../shared/domain/principal';
import type { Clock } from '../shared/ports';
import type { LocalIdentity } from './auth';

export class MovableClock implements Clock {
  private listeners = new Set<(offsetMs: number) => void>();

  constructor(
    private offset = 0,
    private readonly file?: string,
  ) {}

  /** A clock whose offset is kept in `{dataDir}/clock.json` (in memory without a folder). */
  static async open(dataDir?: string): Promise<MovableClock> {
    if (!dataDir) return new MovableClock();
    const file = join(dataDir, 'clock.json');
    let offset = 0;
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as { offsetMs?: unknown };
      if (typeof saved.offsetMs === 'number' && Number.isFinite(saved.offsetMs) && saved.offsetMs >= 0) offset = saved.offsetMs;
    } catch {
      /* first start: real time */
    }
    return new MovableClock(offset, file);
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** How far ahead of real time this clock is, in ms. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Moves the clock forward by `ms` (never back: stored instants would precede their own clock). */
  async advance(ms: number): Promise<Date> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock moves forward only: give a number of ms >= 0');
    this.offset += ms;
    if (this.file) {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFile(this.file, JSON.stringify({ offsetMs: this.offset }));
    }
    for (const l of this.listeners) l(this.offset);
    return this.now();
  }

  /** Called after every move; returns the unsubscribe. */
  onMove(listener: (offsetMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The local-only clock endpoint (not an API route, never deployed). */
export const CLOCK_PATH = '/_local/clock';
const MAX_ADVANCE_MINUTES = 366 * 24 * 60;

/** Answers and says the request was handled. */
const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json'): true => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
  return true;
};
const problem = (res: ServerResponse, status: number, title: string, detail: string) =>
  send(res, status, { type: `/problems/${title.toLowerCase().replace(/\W+/g, '-')}`, title, status, detail }, 'application/problem+json');
const isLoopback = (ip: string | undefined) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';

/**
 * `GET /_local/clock`: the clock's time and offset. `POST /_local/clock` with
 * `{ "advanceMinutes": n }`: moves it forward (the SLA timers due by then fire). Both from this
 * machine only and with an admin's token.
 */
export function clockHandler(clock: MovableClock, identity: LocalIdentity, status: () => Record<string, unknown> = () => ({})) {
  const view = () => ({ now: clock.now().toISOString(), offsetMs: clock.offsetMs, realNow: new Date().toISOString(), ...status() });
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== CLOCK_PATH) return false;
    if (!isLoopback(req.socket.remoteAddress)) return problem(res, 403, 'Forbidden', 'The local clock answers this machine only.');
    const claims = await identity.verify(req.headers.authorization);
    if (!claims) return problem(res, 401, 'Unauthorized', 'Send an admin token: Authorization: Bearer <token from POST /local/token>.');
    if (!rolesFromClaim(claims['cognito:groups']).includes('admin')) return problem(res, 403, 'Forbidden', 'Only admins may move the local clock.');
    if (req.method === 'GET') return send(res, 200, view());
    if (req.method !== 'POST') return problem(res, 405, 'Method Not Allowed', 'GET or POST.');
    let minutes: unknown;
    try {
      minutes = (JSON.parse(body.toString('utf8') || '{}') as { advanceMinutes?: unknown }).advanceMinutes;
    } catch {
      minutes = undefined;
    }
    if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_ADVANCE_MINUTES)
      return problem(res, 400, 'Validation', `Send { "advanceMinutes": n } with 0 < n <= ${MAX_ADVANCE_MINUTES}; the clock moves forward only.`);
    await clock.advance(Math.round(minutes * 60_000));
    return send(res, 200, view());
  };
}
