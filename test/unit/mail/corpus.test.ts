import { describe, expect, it } from 'vitest';
import { parseMime } from '../../../shared/adapters/mail/parse';
import { htmlToText, sanitizeMailHtml } from '../../../shared/adapters/mail/sanitize';
import { parseBounce } from '../../../shared/domain/mail/bounce';
import { DEFAULT_ATTACHMENT_POLICY, attachmentVerdict, splitQuoted } from '../../../shared/domain/mail/content';
import { autoReplyBlocker } from '../../../shared/domain/mail/noise';
import { threadKeys } from '../../../shared/domain/mail/threading';
import { trustVerdict } from '../../../shared/domain/mail/trust';
import type { InboundMail } from '../../../shared/domain/mail/types';
import { DEFAULT_TICKET_FORMAT } from '../../../shared/domain/ticket-number';
import { CHARSET_SAMPLES, CORPUS_SUPPORT, type CorpusMessage, buildCorpus } from '../../fixtures/mail/corpus';

const corpus = buildCorpus();
const parsed = new Map<string, InboundMail>();

const bodyText = (m: InboundMail) => m.text ?? (m.html ? htmlToText(m.html) : '');

describe('the mail corpus', () => {
  it('is big, varied, deterministic and reasonably small', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(160);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
    const total = corpus.reduce((n, c) => n + c.raw.byteLength, 0);
    expect(total).toBeLessThan(40 * 1024 * 1024);
    const kinds = new Set(corpus.map((c) => c.expect.kind));
    expect([...kinds].sort()).toEqual(['auto-reply', 'bounce', 'list', 'malformed', 'new', 'plain', 'quarantine', 'reply']);
    for (const charset of Object.keys(CHARSET_SAMPLES)) expect(corpus.filter((c) => c.expect.charset === charset).length, charset).toBeGreaterThanOrEqual(5);
    const again = buildCorpus();
    expect(again.map((c) => Buffer.from(c.raw).toString('base64'))).toEqual(corpus.map((c) => Buffer.from(c.raw).toString('base64')));
  });

  it('every message parses without throwing', async () => {
    for (const c of corpus) {
      const mail = await parseMime(c.raw, c.name);
      expect(mail.deliveryId).toBe(c.name);
      parsed.set(c.name, mail);
    }
    expect(parsed.size).toBe(corpus.length);
  });

  // parsed once above; parsed again when a filter ran this test alone
  const mailOf = async (c: CorpusMessage) => parsed.get(c.name) ?? (await parseMime(c.raw, c.name));

  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const mail = await mailOf(c);
    const k = c.expect.kind;
    const noise = autoReplyBlocker(mail, [CORPUS_SUPPORT]);
    const bounce = parseBounce(mail);
    const trust = trustVerdict(mail);

    expect(bounce !== null, `bounce: ${JSON.stringify(bounce)}`).toBe(k === 'bounce');
    expect(trust.quarantine, JSON.stringify(trust)).toBe(k === 'quarantine');
    expect(noise !== null, `noise: ${noise}`).toBe(k === 'bounce' || k === 'auto-reply' || k === 'list');
    if (k === 'list') expect(['mailing-list', 'precedence', 'system-sender']).toContain(noise);

    const keys = threadKeys(mail, { format: DEFAULT_TICKET_FORMAT, supportAddresses: [CORPUS_SUPPORT] });
    if (k === 'reply') expect(keys.length).toBeGreaterThan(0);
    if (k === 'new') expect(keys).toEqual([]);

    if (c.expect.text) expect(bodyText(mail)).toContain(c.expect.text);
    if (c.expect.subject) expect(mail.subject).toContain(c.expect.subject);

    // the rest of the pipeline's pure steps take whatever the parser produced
    if (mail.html) expect(sanitizeMailHtml(mail.html)).not.toMatch(/<script|\son\w+=/i);
    if (mail.text) expect(splitQuoted(mail.text).fresh.length).toBeGreaterThan(0);
    let total = 0;
    for (const a of mail.attachments) {
      const v = attachmentVerdict(a, DEFAULT_ATTACHMENT_POLICY, total);
      if (v.accepted) total += a.size;
      if (/^attachment: (\.exe|\.js|\.docm|double extension)$/.test(c.name)) expect(v.dangerous).toBe(true);
    }
  });
});
