/**
 * The e-mail channel's records in the domain table:
 *
 * | item              | pk                           | sk                    | gsi1 (pk / sk)            | gsi2 (pk / sk)                 |
 * |-------------------|------------------------------|-----------------------|---------------------------|--------------------------------|
 * | intake record     | MAIL#{id}                    | MAIL                  | MAILS / {receivedAt}#{id} | MAILS#{outcome} / same         |
 * | message-id link   | MSGID#{messageId}            | MSGID                 |                           |                                |
 * | thread message id | THREAD#{caseId}              | MSG#{at}#{messageId}  |                           |                                |
 * | participant       | THREAD#{caseId}              | PART#{email}          |                           |                                |
 * | auto-reply slots  | AUTOREPLY#{email}#{hour}     | SLOTS                 | (expires)                 |                                |
 * | outbound marker   | OUTBOUND#{key}               | OUTBOUND              | (expires)                 |                                |
 * | template          | TEMPLATE#{name}#{language}   | TEMPLATE              |                           |                                |
 *
 * Thread items live outside the case partition so the timeline query never reads them.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Language } from '../../../domain/customer';
import { notFound, preconditionFailed } from '../../../domain/errors';
import type { Outcome } from '../../../domain/mail/types';
import type { Page } from '../../../ports';
import type { Claim, IntakeRecord, MailStore, MailTemplate, TemplateName } from '../../../ports/mail';
import type { DocClient } from './client';
import { putVersioned } from './versioned';
import { queryPage } from './cursor';
import { plain } from './transact';

const intakeKey = (id: string) => ({ pk: `MAIL#${id}`, sk: 'MAIL' });
const msgKey = (messageId: string) => ({ pk: `MSGID#${messageId.toLowerCase()}`, sk: 'MSGID' });
const templateKey = (name: string, language: string) => ({ pk: `TEMPLATE#${name}#${language}`, sk: 'TEMPLATE' });
const DAY = 86_400;

const INTAKE_FIELDS = [
  'id', 'deliveryId', 'messageId', 'blobKey', 'receivedAt', 'from', 'subject', 'size', 'outcome', 'reason', 'caseId', 'ticketNumber',
  'autoReply', 'flags', 'attempts', 'duplicates', 'released', 'receipt', 'updatedAt', 'version',
] as const;

function intakeItem(r: IntakeRecord) {
  const sort = `${r.receivedAt}#${r.id}`;
  return { ...intakeKey(r.id), entity: 'mail', ...r, gsi1pk: 'MAILS', gsi1sk: sort, gsi2pk: `MAILS#${r.outcome}`, gsi2sk: sort };
}

function intakeFromItem(item: Record<string, unknown>): IntakeRecord {
  const r: Record<string, unknown> = {};
  for (const k of INTAKE_FIELDS) r[k] = item[k] ?? null;
  r.flags ??= [];
  r.duplicates ??= 0;
  r.released ??= false;
  return r as unknown as IntakeRecord;
}

export class DynamoMailStore implements MailStore {
  constructor(
    private readonly db: DocClient,
    private readonly table: string,
  ) {}

  async claim(rec: IntakeRecord): Promise<Claim> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: intakeItem(rec), ConditionExpression: 'attribute_not_exists(pk)' }));
      return { claimed: true, record: rec };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      const existing = await this.getIntake(rec.id);
      if (!existing) throw e; // deleted in between: let the delivery be retried
      return { claimed: false, existing };
    }
  }

  async saveIntake(rec: IntakeRecord, expectedVersion: number) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: intakeItem(rec),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException)
        throw e.Item ? preconditionFailed(Number(plain(e.Item as Record<string, unknown>).version), 'mail record') : notFound('Mail');
      throw e;
    }
  }

  async getIntake(id: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: intakeKey(id) }));
    return out.Item ? intakeFromItem(out.Item) : undefined;
  }

  async listIntake(q: { outcome?: Outcome; limit: number; cursor?: string }): Promise<Page<IntakeRecord>> {
    const [index, partition] = q.outcome ? (['gsi2', `MAILS#${q.outcome}`] as const) : (['gsi1', 'MAILS'] as const);
    const page = await queryPage(
      this.db,
      { TableName: this.table, IndexName: index, KeyConditionExpression: `${index}pk = :p`, ExpressionAttributeValues: { ':p': partition }, ScanIndexForward: false },
      partition,
      q.limit,
      q.cursor,
    );
    return { items: page.items.map(intakeFromItem), nextCursor: page.nextCursor };
  }

  async linkMessageId(messageId: string, caseId: string) {
    const at = new Date().toISOString();
    await this.db.send(
      new BatchWriteCommand({
        RequestItems: {
          [this.table]: [
            { PutRequest: { Item: { ...msgKey(messageId), entity: 'msgid', messageId, caseId } } },
            { PutRequest: { Item: { pk: `THREAD#${caseId}`, sk: `MSG#${at}#${messageId}`, entity: 'thread-msg', messageId } } },
          ],
        },
      }),
    );
  }

  async caseForMessageId(messageId: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: msgKey(messageId) }));
    return out.Item ? String(out.Item.caseId) : undefined;
  }

  async threadMessageIds(caseId: string, limit: number) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)',
        ExpressionAttributeValues: { ':p': `THREAD#${caseId}`, ':m': 'MSG#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => String(i.messageId)).reverse();
  }

  async addParticipants(caseId: string, emails: string[]) {
    const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))].slice(0, 25);
    if (!unique.length) return;
    await this.db.send(
      new BatchWriteCommand({
        RequestItems: { [this.table]: unique.map((email) => ({ PutRequest: { Item: { pk: `THREAD#${caseId}`, sk: `PART#${email}`, entity: 'participant', email } } })) },
      }),
    );
  }

  async isParticipant(caseId: string, email: string) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `THREAD#${caseId}`, sk: `PART#${email.trim().toLowerCase()}` } }));
    return Boolean(out.Item);
  }

  async takeAutoReplySlot(recipient: string, now: Date, limitPerHour: number) {
    const hour = now.toISOString().slice(0, 13);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `AUTOREPLY#${recipient.toLowerCase()}#${hour}`, sk: 'SLOTS' },
          UpdateExpression: 'ADD taken :one SET expiresAt = :exp, entity = :e',
          ConditionExpression: 'attribute_not_exists(taken) OR taken < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limitPerHour, ':exp': Math.floor(now.getTime() / 1000) + 2 * 3600, ':e': 'autoreply' },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async claimOutbound(key: string, now: Date, staleAfterSeconds: number) {
    const t = Math.floor(now.getTime() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `OUTBOUND#${key}`, sk: 'OUTBOUND', entity: 'outbound', status: 'sending', claimedAt: t, expiresAt: t + 30 * DAY },
          // free, or a send that started long ago and never finished (the worker died)
          ConditionExpression: 'attribute_not_exists(pk) OR (#s = :sending AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':stale': t - staleAfterSeconds },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async completeOutbound(key: string, providerId: string) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `OUTBOUND#${key}`, sk: 'OUTBOUND' },
        UpdateExpression: 'SET #s = :sent, providerId = :p',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':p': providerId },
      }),
    );
  }

  async releaseOutbound(key: string) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `OUTBOUND#${key}`, sk: 'OUTBOUND' },
        UpdateExpression: 'SET claimedAt = :zero',
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':zero': 0, ':sending': 'sending' },
      }),
    ).catch((e) => {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    });
  }

  async getTemplate(name: TemplateName, language: Language) {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: templateKey(name, language) }));
    if (!out.Item) return undefined;
    const { name: n, language: l, subject, text, version, updatedAt, updatedBy } = out.Item;
    return { name: n, language: l, subject, text, version: Number(version), updatedAt, updatedBy } as MailTemplate;
  }

  async putTemplate(t: MailTemplate, expectedVersion: number) {
    const next = { ...t, version: expectedVersion + 1 };
    await putVersioned(this.db, this.table, { ...templateKey(t.name, t.language), entity: 'template', ...next }, expectedVersion, { what: 'template' });
    return next;
  }
}
