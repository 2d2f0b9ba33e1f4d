/** The intake monitor: every inbound mail's outcome, and the admin actions on it. */
import { DomainError, notFound } from '../domain/errors';
import type { Outcome } from '../domain/mail/types';
import { type Caller, requireAdmin } from './caller';
import { processInbound } from './inbound-mail';
import type { MailDeps } from './mail-deps';

export async function listIntake(deps: MailDeps, caller: Caller, q: { outcome?: Outcome; limit: number; cursor?: string }) {
  requireAdmin(caller);
  return deps.mail.listIntake(q);
}

export async function readIntake(deps: MailDeps, caller: Caller, id: string) {
  requireAdmin(caller);
  const rec = await deps.mail.getIntake(id);
  if (!rec) throw notFound('Mail');
  return rec;
}

/** Runs a failed mail through the inbound path again (the raw mail was kept). */
export async function replayIntake(deps: MailDeps, caller: Caller, id: string) {
  const rec = await readIntake(deps, caller, id);
  if (rec.outcome !== 'failed')
    throw new DomainError('invalid-transition', `Only a failed mail can be replayed; this one was ${rec.outcome}.`, [], { currentOutcome: rec.outcome });
  return (await processInbound(deps, { blobKey: rec.blobKey, deliveryId: rec.deliveryId, receipt: rec.receipt ?? undefined }, { replay: true })).record;
}

/** Lets a quarantined mail through: processed as if the verdict had passed (the release is recorded). */
export async function releaseIntake(deps: MailDeps, caller: Caller, id: string) {
  const rec = await readIntake(deps, caller, id);
  if (rec.outcome !== 'quarantined')
    throw new DomainError('invalid-transition', `Only a quarantined mail can be released; this one was ${rec.outcome}.`, [], { currentOutcome: rec.outcome });
  return (await processInbound(deps, { blobKey: rec.blobKey, deliveryId: rec.deliveryId, receipt: rec.receipt ?? undefined }, { release: true })).record;
}
