import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, IdSource } from '../ports';

export const systemClock: Clock = { now: () => new Date() };
export const cryptoIds: IdSource = { id: () => randomUUID(), bytes: (n) => randomBytes(n) };
