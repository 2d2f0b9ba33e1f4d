/**
 * Builds the production dependencies from the environment, once per process (cold start).
 * Endpoints come from the SDK's own AWS_ENDPOINT_URL_* variables, so the local runtime needs no
 * branches here.
 */
import type { Config, Deps } from '../../app/deps';
import { OFFLINE_POLICIES, type OfflinePolicy } from '../../domain/routing/assignment';
import { ticketFormatFromEnv } from '../../domain/ticket-number';
import { cryptoIds, systemClock } from '../system';
import { lazyBlobStore } from './blob-store';
import { DynamoCaseStore } from './dynamodb/case-store';
import { DynamoCatalogStore } from './dynamodb/catalog-store';
import { type DocClient, createDocumentClient } from './dynamodb/client';
import { DynamoCustomerStore } from './dynamodb/customer-store';
import { DynamoDirectoryStore, DynamoTicketCounter } from './dynamodb/directory-store';
import { DynamoRoutingStore } from './dynamodb/routing-store';
import { DynamoSlaStateStore } from './dynamodb/sla-state-store';
import { DynamoSlaStore } from './dynamodb/sla-store';
import { lazySfnTimers } from './sfn-timers';
import { lazyWorkQueue } from './sqs-work-queue';
import { queueUrlVar } from '../../work-queues';

export function configFromEnv(env: Record<string, string | undefined> = process.env): Config {
  const reopenWindowDays = env.REOPEN_WINDOW_DAYS ? Number(env.REOPEN_WINDOW_DAYS) : 7;
  if (!Number.isFinite(reopenWindowDays) || reopenWindowDays < 0) throw new Error('REOPEN_WINDOW_DAYS must be a number of days');
  const ticketSerialBlock = env.TICKET_SERIAL_BLOCK ? Number(env.TICKET_SERIAL_BLOCK) : 10;
  if (!Number.isInteger(ticketSerialBlock) || ticketSerialBlock < 1 || ticketSerialBlock > 1000)
    throw new Error('TICKET_SERIAL_BLOCK must be an integer from 1 to 1000');
  const offlinePolicy = (env.OFFLINE_POLICY ?? 'keep') as OfflinePolicy;
  if (!OFFLINE_POLICIES.includes(offlinePolicy)) throw new Error(`OFFLINE_POLICY must be one of ${OFFLINE_POLICIES.join(', ')}`);
  return { ticketFormat: ticketFormatFromEnv(env), reopenWindowDays, ticketSerialBlock, offlinePolicy };
}

export function dynamoDeps(db: DocClient, table: string, config: Config): Deps {
  return {
    cases: new DynamoCaseStore(db, table),
    customers: new DynamoCustomerStore(db, table),
    catalog: new DynamoCatalogStore(db, table),
    directory: new DynamoDirectoryStore(db, table),
    routing: new DynamoRoutingStore(db, table),
    sla: new DynamoSlaStore(db, table),
    slaState: new DynamoSlaStateStore(db, table),
    timers: lazySfnTimers(),
    slaQueue: lazyWorkQueue(queueUrlVar('sla')),
    counter: new DynamoTicketCounter(db, table, config.ticketSerialBlock),
    blobs: lazyBlobStore(),
    clock: systemClock,
    ids: cryptoIds,
    config,
  };
}

let cached: Deps | undefined;
/** The process-wide dependencies, built on first use from TABLE_NAME and friends. */
export function defaultDeps(): Deps {
  if (!cached) {
    const table = process.env.TABLE_NAME;
    if (!table) throw new Error('TABLE_NAME is not set');
    cached = { ...dynamoDeps(createDocumentClient(), table, configFromEnv()), ...standIns };
  }
  return cached;
}

/**
 * What the local runtime puts in place of what no endpoint variable can select: its movable clock
 * and its Step Functions stand-in (local/clock.ts, local/timers.ts). Never set on Lambda.
 */
export type LocalStandIns = Partial<Pick<Deps, 'clock' | 'timers'>>;
let standIns: LocalStandIns = {};
/** Used by the process-wide dependencies from now on (`{}`: none); the local runtime calls this when it starts and stops. */
export function useLocalStandIns(s: LocalStandIns) {
  standIns = s;
  cached = undefined;
}

/** Forget the process-wide dependencies (the local runtime calls this when it starts another engine). */
export function resetDefaultDeps() {
  cached = undefined;
}
