/**
 * The whole fixture corpus through the inbound use case with in-memory ports: every message
 * reaches exactly one recorded outcome, none crashes the handler, and the outcome agrees with
 * what the message is (bounces and verdicts never open cases; automatic mail is never answered).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryMailDeps } from '../../../shared/adapters/memory/mail-deps';
import { type InboundResult, processInbound } from '../../../shared/app/inbound-mail';
import { type CorpusMessage, buildCorpus } from '../../fixtures/mail/corpus';

let corpus: CorpusMessage[];
const results = new Map<string, InboundResult>();
let setup: ReturnType<typeof memoryMailDeps>;

beforeAll(async () => {
  corpus = buildCorpus();
  setup = memoryMailDeps({ now: () => new Date('2026-11-25T12:00:00Z') });
  await setup.deps.customers.create({ id: 'c-known', kind: 'contact', name: 'Known Customer', email: 'customer@example.org', phone: null, tier: 'standard', language: 'en', accountId: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', version: 1 }, []);
  for (const [i, m] of corpus.entries()) {
    const key = `inbound/corpus-${i}.eml`;
    await setup.deps.blobs.put(key, m.raw, 'message/rfc822');
    results.set(m.name, await processInbound(setup.deps, { blobKey: key, deliveryId: `corpus-${i}` }));
  }
}, 120_000);

describe('the corpus through the inbound handler', () => {
  it('has at least 150 messages, each with a recorded outcome', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    for (const m of corpus) {
      const r = results.get(m.name)!;
      expect(r, m.name).toBeDefined();
      expect(['created', 'appended', 'reopened', 'skipped', 'quarantined', 'duplicate'], m.name).toContain(r.outcome);
      expect(r.record.reason.length, m.name).toBeGreaterThan(0);
    }
    // one record per distinct mail; repeated Message-IDs are duplicates, not new records
    const distinct = new Set([...results.values()].map((r) => r.record.id));
    expect(setup.stores.mail.intake.size).toBe(distinct.size);
    expect([...setup.stores.mail.intake.values()].every((r) => r.outcome !== 'processing' && r.outcome !== 'failed')).toBe(true);
  });

  it('quarantines the verdict failures and never opens a case for a bounce', () => {
    for (const m of corpus) {
      const r = results.get(m.name)!;
      if (r.outcome === 'duplicate') continue;
      if (m.expect.kind === 'quarantine') expect(r.outcome, m.name).toBe('quarantined');
      if (m.expect.kind === 'bounce') expect(r.outcome, m.name).toBe('skipped');
    }
  });

  it('never lets automatic or list mail be answered automatically', () => {
    for (const m of corpus.filter((x) => x.expect.kind === 'auto-reply' || x.expect.kind === 'list')) {
      const r = results.get(m.name)!;
      expect(r.record.autoReply, m.name).not.toBe('allowed');
    }
  });

  it('opens cases for ordinary mail, with the decoded text', () => {
    const ordinary = corpus.filter((m) => (m.expect.kind === 'new' || m.expect.kind === 'plain') && results.get(m.name)!.outcome !== 'duplicate');
    expect(ordinary.length).toBeGreaterThan(50);
    for (const m of ordinary) {
      const r = results.get(m.name)!;
      expect(['created', 'appended', 'reopened', 'skipped'], m.name).toContain(r.outcome);
      if (m.expect.text && r.record.caseId) {
        const entries = setup.stores.cases.entries.get(r.record.caseId) ?? [];
        const all = entries.map((e) => `${e.body ?? ''}\n${e.mail?.quoted ?? ''}`).join('\n');
        expect(all.normalize('NFC'), m.name).toContain(m.expect.text.normalize('NFC'));
      }
    }
  });
});
