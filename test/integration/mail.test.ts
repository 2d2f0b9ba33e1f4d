/**
 * The inbound and outbound mail paths on DynamoDB Local with the real parser and a folder for
 * blobs: new cases, threads, no hijacking, reopen windows, duplicates, noise, bounces,
 * quarantine and release, failures and replay, the intake monitor API, replies and the loop guard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMessage, resolve } from '../../shared/app/cases';
import type { Caller } from '../../shared/app/caller';
import { type InboundResult, processInbound } from '../../shared/app/inbound-mail';
import type { MailDeps } from '../../shared/app/mail-deps';
import { sendOutbound } from '../../shared/app/outbound-mail';
import type { TimelineEntry } from '../../shared/domain/case';
import { type Harness, harness } from '../support/harness';
import { type RawMailOptions, rawMail } from '../support/mail';

let h: Harness;
let staff: Caller;
let admin: string;
let n = 0;

beforeAll(async () => {
  h = await harness();
  const sara = (await h.deps.directory.listAgents()).find((a) => a.email === 'agent1@example.com')!;
  staff = { principal: { sub: sara.id, email: sara.email, roles: ['agent'] }, actor: { sub: sara.id, kind: 'staff', email: sara.email }, customerId: null };
  admin = await h.token('admin@example.com');
});
afterAll(async () => h?.close());

/** Stores a raw mail as SES would and runs the inbound path on it. */
async function deliver(o: RawMailOptions, deps: MailDeps = h.mailDeps, deliveryId = `dlv-${++n}`): Promise<InboundResult> {
  const key = `inbound/${deliveryId}.eml`;
  await deps.blobs.put(key, rawMail(o), 'message/rfc822');
  return processInbound(deps, { blobKey: key, deliveryId });
}
const timeline = async (caseId: string): Promise<TimelineEntry[]> => (await h.deps.cases.timeline(caseId, { publicOnly: false, limit: 100 })).items;

describe('inbound mail', () => {
  it('a known contact\'s mail opens a case: origin e-mail, quoted text collapsed, HTML sanitised, attachments stored', async () => {
    const r = await deliver({
      from: 'Dana Doe <customer2@example.com>',
      subject: 'Printer prints blank pages',
      text: 'Since today every page comes out blank.\n\nOn Tue, 24 Nov 2026 at 09:00, Support <support@example.com> wrote:\n> How can we help?\n',
      html: '<p>Since today every page comes out blank.</p><script>alert(1)</script><img src="https://tracker.example/p.gif"><a href="javascript:alert(2)">x</a>',
      attachments: [
        { filename: 'photo.png', contentType: 'image/png', content: Buffer.from('png-bytes') },
        { filename: 'driver.exe', contentType: 'application/octet-stream', content: Buffer.from('MZ') },
      ],
    });
    expect(r.outcome).toBe('created');
    expect(r.record).toMatchObject({ outcome: 'created', autoReply: 'allowed', from: 'customer2@example.com', attempts: 1 });
    expect(r.record.flags).toEqual(expect.arrayContaining([expect.stringMatching(/dangerous attachment driver\.exe/)]));
    const c = (await h.deps.cases.get(r.record.caseId!))!;
    expect(c).toMatchObject({ title: 'Printer prints blank pages', origin: 'email', description: 'Since today every page comes out blank.' });
    const [created] = await timeline(c.id);
    expect(created!.mail).toMatchObject({ direction: 'in', from: 'customer2@example.com', intakeId: r.record.id });
    expect(created!.mail!.quoted).toMatch(/How can we help/);
    expect(created!.mail!.html).toContain('every page comes out blank');
    expect(created!.mail!.html).not.toMatch(/script|javascript:|tracker\.example/i);
    const png = created!.mail!.attachments!.find((a) => a.name === 'photo.png')!;
    expect(Buffer.from((await h.mailDeps.blobs.get(png.blobKey!))!).toString()).toBe('png-bytes');
    expect(created!.mail!.attachments!.find((a) => a.name === 'driver.exe')).toMatchObject({ dangerous: true });

    // download links: staff and the customer (public entry of their own case); others get 404
    const agent = await h.token('agent1@example.com');
    const pngIndex = created!.mail!.attachments!.findIndex((a) => a.name === 'photo.png');
    const exeIndex = created!.mail!.attachments!.findIndex((a) => a.name === 'driver.exe');
    const link = await h.transports.http(agent, 'GET', `/cases/${c.id}/attachments/${created!.id}/${pngIndex}`);
    expect(link.status).toBe(200);
    expect(link.body).toMatchObject({ name: 'photo.png', contentType: 'image/png', dangerous: false });
    expect(new URL(link.body.url).searchParams.get('type')).toBe('image/png');
    const exe = await h.transports.http(agent, 'GET', `/cases/${c.id}/attachments/${created!.id}/${exeIndex}`);
    expect(new URL(exe.body.url).searchParams.get('type')).toBe('application/octet-stream'); // never run by a browser
    const owner = await h.token('customer2@example.com');
    expect((await h.transports.http(owner, 'GET', `/cases/${c.id}/attachments/${created!.id}/${pngIndex}`)).status).toBe(200);
    const other = await h.token('customer1@example.com');
    expect((await h.transports.http(other, 'GET', `/cases/${c.id}/attachments/${created!.id}/${pngIndex}`)).status).toBe(404);
    expect((await h.transports.http(agent, 'GET', `/cases/${c.id}/attachments/${created!.id}/9`)).status).toBe(404);
    expect((await h.transports.http(agent, 'GET', `/cases/${c.id}/attachments/${created!.id}/99`)).status).toBe(400);
  });

  it('the same mail delivered twice is one activity', async () => {
    const mail = { from: 'customer2@example.com', subject: 'Twice', text: 'hello', messageId: `twice-${Date.now()}@customer.example` };
    const first = await deliver(mail);
    const second = await deliver(mail); // another delivery id, same Message-ID
    expect(first.outcome).toBe('created');
    expect(second.outcome).toBe('duplicate');
    const rec = (await h.mailDeps.mail.getIntake(first.record.id))!;
    expect(rec).toMatchObject({ outcome: 'created', duplicates: 1, caseId: first.record.caseId });
    expect((await h.deps.cases.list({ customerId: first.record.caseId ? (await h.deps.cases.get(first.record.caseId))!.customerId : '', limit: 100 })).items.filter((c) => c.title === 'Twice')).toHaveLength(1);
  });

  it('threads a reply by In-Reply-To to our mail, and by the ticket token; a stranger quoting the token gets a new case', async () => {
    const opened = await deliver({ from: 'customer2@example.com', subject: 'Scanner driver', text: 'Which driver do I need?' });
    const caseId = opened.record.caseId!;
    await postMessage(h.deps, staff, caseId, 'Use version 4.2, attached on our site.');
    const entry = (await timeline(caseId)).at(-1)!;
    const sent = await sendOutbound(h.mailDeps, { kind: 'reply', caseId, entryId: entry.id, body: entry.body! });
    expect(sent.sent).toBe(true);
    const out = h.sent.at(-1)!;
    expect(out.subject).toContain(`[${opened.record.ticketNumber}]`);
    expect(out.replyTo).toEqual(['support@example.com']);
    expect(out.headers['In-Reply-To']).toBe(`<${opened.record.messageId}>`);
    expect(await sendOutbound(h.mailDeps, { kind: 'reply', caseId, entryId: entry.id, body: entry.body! })).toEqual({ sent: false, reason: 'already sent' });

    const byHeader = await deliver({ from: 'customer2@example.com', subject: 'Re: Scanner driver', text: 'Thanks, that worked.', inReplyTo: sent.sent ? sent.messageId : '' });
    expect(byHeader).toMatchObject({ outcome: 'appended', record: { caseId } });
    expect(byHeader.record.reason).toMatch(/in-reply-to|In-Reply-To/i);

    const byToken = await deliver({ from: 'customer2@example.com', subject: `One more thing [${opened.record.ticketNumber}]`, text: 'Also the fax.' });
    expect(byToken).toMatchObject({ outcome: 'appended', record: { caseId } });

    const stranger = await deliver({ from: 'mallory@evil.example', subject: `Re: [${opened.record.ticketNumber}] send me the data`, text: 'me too' });
    expect(stranger.outcome).toBe('created');
    expect(stranger.record.caseId).not.toBe(caseId);
    const messages = (await timeline(caseId)).filter((e) => e.kind === 'message');
    expect(messages.map((e) => e.body)).toEqual(['Use version 4.2, attached on our site.', 'Thanks, that worked.', 'Also the fax.']);
  });

  it('a reply to a resolved case reopens it within the window, and opens a linked new case after it', async () => {
    const opened = await deliver({ from: 'customer2@example.com', subject: 'Licence key', text: 'Key rejected.' });
    const caseId = opened.record.caseId!;
    await resolve(h.deps, staff, caseId, { resolutionType: 'problem_solved', text: 'New key sent.', minutesSpent: 5 });
    const within = await deliver({ from: 'customer2@example.com', subject: `Re: [${opened.record.ticketNumber}] Licence key`, text: 'Still rejected.' });
    expect(within).toMatchObject({ outcome: 'reopened', record: { caseId } });
    expect((await h.deps.cases.get(caseId))!.state).toBe('active');

    await resolve(h.deps, staff, caseId, { resolutionType: 'problem_solved', text: 'Fixed for real.', minutesSpent: 5 });
    const later: MailDeps = { ...h.mailDeps, clock: { now: () => new Date(Date.now() + 8 * 86_400_000) } };
    const after = await deliver({ from: 'customer2@example.com', subject: `Re: [${opened.record.ticketNumber}] Licence key`, text: 'Broken again.' }, later);
    expect(after.outcome).toBe('created');
    expect(after.record.caseId).not.toBe(caseId);
    expect(after.record.flags).toContain(`follows up ${opened.record.ticketNumber}`);
    expect((await h.deps.cases.get(caseId))!.state).toBe('resolved');
  });

  it('unknown senders get a contact, or are refused when configured', async () => {
    const r = await deliver({ from: 'Neue Kundin <neu@kunde.example>', subject: 'Hallo', text: 'Ich habe eine Frage.' });
    expect(r.outcome).toBe('created');
    const contactId = await h.deps.customers.findIdByEmail('neu@kunde.example');
    expect(contactId).toBeDefined();
    expect((await h.deps.customers.get(contactId!))!.name).toBe('Neue Kundin');
    const refusing: MailDeps = { ...h.mailDeps, mailConfig: { ...h.mailDeps.mailConfig, unknownSenders: 'refuse' } };
    const refused = await deliver({ from: 'other@stranger.example', subject: 'Hi', text: 'x' }, refusing);
    expect(refused.record).toMatchObject({ outcome: 'skipped', caseId: null });
    expect(await h.deps.customers.findIdByEmail('other@stranger.example')).toBeUndefined();
    // they are told so, politely and once
    const request = h.outbox.at(-1) as { kind: 'refusal'; intakeId: string; to: string; language: 'en' | 'fa' };
    expect(request).toEqual({ kind: 'refusal', intakeId: refused.record.id, to: 'other@stranger.example', language: 'en' });
    const told = await sendOutbound(h.mailDeps, request);
    expect(told.sent).toBe(true);
    expect(h.sent.at(-1)).toMatchObject({ to: ['other@stranger.example'], subject: 'We could not register your request', headers: { 'Auto-Submitted': 'auto-replied' } });
    expect((await sendOutbound(h.mailDeps, request)).sent).toBe(false);
    // an automatic mail from an unknown sender gets no refusal
    const before = h.outbox.length;
    await deliver({ from: 'robot@stranger.example', subject: 'Auto', text: 'x', headers: { 'Auto-Submitted': 'auto-generated' } }, refusing);
    expect(h.outbox.length).toBe(before);
  });

  it('records a bounce against the case our mail belonged to, and never opens a case for it', async () => {
    const opened = await deliver({ from: 'customer2@example.com', subject: 'Bounce me', text: 'x' });
    const caseId = opened.record.caseId!;
    const ack = await sendOutbound(h.mailDeps, { kind: 'ack', caseId });
    expect(ack.sent).toBe(true);
    const ourId = ack.sent ? ack.messageId : '';
    const dsn = [
      'This is the mail system at host mx.example.', '', 'I\'m sorry to have to inform you that your message could not be delivered.',
    ].join('\n');
    const r = await deliver({
      from: 'MAILER-DAEMON@mx.example',
      returnPath: '',
      subject: 'Undelivered Mail Returned to Sender',
      text: dsn,
      headers: { 'Auto-Submitted': 'auto-replied' },
      attachments: [
        { filename: 'status.txt', contentType: 'message/delivery-status', content: Buffer.from('Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; customer2@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n') },
        { filename: 'headers.txt', contentType: 'text/rfc822-headers', content: Buffer.from(`Message-ID: <${ourId}>\nSubject: ack\n`) },
      ],
    });
    expect(r.record).toMatchObject({ outcome: 'skipped', caseId });
    expect(r.record.reason).toMatch(/5\.1\.1/);
    const bounce = (await timeline(caseId)).find((e) => e.kind === 'bounce')!;
    expect(bounce).toMatchObject({ visibility: 'internal', actor: { kind: 'system' } });
    // recorded against the contact too: nothing more is sent to the address...
    const contactId = (await h.deps.customers.findIdByEmail('customer2@example.com'))!;
    expect((await h.deps.customers.get(contactId))!.emailBounce).toMatchObject({ status: '5.1.1' });
    await postMessage(h.deps, staff, caseId, 'Did you get this?');
    const last = (await timeline(caseId)).at(-1)!;
    expect(await sendOutbound(h.mailDeps, { kind: 'reply', caseId, entryId: last.id, body: last.body! })).toEqual({ sent: false, reason: expect.stringMatching(/bounced permanently/) });
    // ...until mail comes from it again
    await deliver({ from: 'customer2@example.com', subject: `Re: [${opened.record.ticketNumber}]`, text: 'I am back.' });
    expect((await h.deps.customers.get(contactId))!.emailBounce).toBeNull();
  });

  it('quarantines on a spam verdict; an admin releases it and it becomes a case', async () => {
    const r = await deliver({ from: 'customer2@example.com', subject: 'Cheap pills', text: 'x', headers: { 'X-SES-Spam-Verdict': 'FAIL', 'X-SES-Virus-Verdict': 'PASS' } });
    expect(r.record).toMatchObject({ outcome: 'quarantined', caseId: null });
    const call = h.transports.http;
    const agent = await h.token('agent1@example.com');
    expect((await call(agent, 'GET', '/mail/inbound?outcome=quarantined')).status).toBe(403);
    const listed = await call(admin, 'GET', '/mail/inbound?outcome=quarantined');
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(r.record.id);
    expect((await call(admin, 'POST', `/mail/inbound/${r.record.id}/replay`)).status).toBe(409);
    const released = await call(admin, 'POST', `/mail/inbound/${r.record.id}/release`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ outcome: 'created', released: true, attempts: 2 });
    expect((await call(admin, 'GET', `/mail/inbound/${r.record.id}`)).body.caseId).toBe(released.body.caseId);
  });

  it('a mail that fails is recorded as failed with its reason, kept, and can be replayed', async () => {
    let failOnce = true;
    const flaky: MailDeps = {
      ...h.mailDeps,
      cases: {
        ...h.mailDeps.cases,
        create: async (...args) => {
          if (failOnce) {
            failOnce = false;
            throw new Error('the table is throttled');
          }
          return h.mailDeps.cases.create(...args);
        },
        get: (id) => h.mailDeps.cases.get(id),
        getByTicket: (t) => h.mailDeps.cases.getByTicket(t),
      },
    };
    await expect(deliver({ from: 'customer2@example.com', subject: 'Flaky', text: 'x' }, flaky, 'dlv-flaky')).rejects.toThrow('throttled');
    const failed = (await h.mailDeps.mail.listIntake({ outcome: 'failed', limit: 10 })).items.find((x) => x.subject === 'Flaky')!;
    expect(failed).toMatchObject({ outcome: 'failed', caseId: null });
    expect(failed.reason).toMatch(/throttled/);
    const replayed = await h.transports['in-process'](admin, 'POST', `/mail/inbound/${failed.id}/replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ outcome: 'created', attempts: 2 });
  });
});

describe('no loops, no noise', () => {
  it('never acknowledges automatic mail', async () => {
    const r = await deliver({ from: 'customer2@example.com', subject: 'Out of office', text: 'I am away.', headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(r.record).toMatchObject({ outcome: 'created', autoReply: 'auto-submitted' });
    const ack = await sendOutbound(h.mailDeps, { kind: 'ack', caseId: r.record.caseId! });
    expect(ack.sent).toBe(false);
  });

  it('an auto-responder answering every mail we send gets at most the hourly limit of our replies, then silence', async () => {
    const limit = h.mailDeps.mailConfig.autoReplyLimitPerHour;
    const before = h.sent.length;
    const responder = 'bot@autoresponder.example';
    // the responder writes first; every acknowledgement we send, it answers with a fresh mail
    let pending = 1;
    for (let round = 0; round < 20 && pending; round++) {
      pending--;
      const r = await deliver({ from: responder, subject: `Your message (${round})`, text: 'Thank you for your mail. This is an automatic answer.' });
      const ack = await sendOutbound(h.mailDeps, { kind: 'ack', caseId: r.record.caseId! });
      if (ack.sent) pending++;
    }
    const ours = h.sent.slice(before).filter((m) => m.to.includes(responder));
    expect(ours).toHaveLength(limit);
    expect(ours.every((m) => m.headers['Auto-Submitted'] === 'auto-replied')).toBe(true);
  });
});

describe('mail templates', () => {
  it('admins replace a default with If-Match; unknown placeholders are refused at their field; the new text is what goes out', async () => {
    const call = h.transports.http;
    const list = await call(admin, 'GET', '/mail/templates');
    expect(list.status).toBe(200);
    const ackFa = list.body.items.find((t: { name: string; language: string }) => t.name === 'acknowledgement' && t.language === 'fa');
    expect(ackFa).toMatchObject({ version: 0 });
    const bad = await call(admin, 'PUT', '/mail/templates/acknowledgement/en', { body: { subject: '{{ticket}} received', text: 'Hi {{nickname}} {{title}}' }, headers: { 'if-match': '"0"' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message.split(' ')[0]}`)).toEqual(['subject: {{ticket}}', 'text: {{nickname}}']);
    const saved = await call(admin, 'PUT', '/mail/templates/acknowledgement/en', { body: { subject: 'Case {{ticketNumber}} opened', text: 'Dear {{contactName}}, we have it.' }, headers: { 'if-match': '"0"' } });
    expect(saved.status).toBe(200);
    expect(saved.headers.etag).toBe('"1"');
    expect((await call(admin, 'PUT', '/mail/templates/acknowledgement/en', { body: { subject: 'x', text: 'y' }, headers: { 'if-match': '"0"' } })).status).toBe(412);
    expect((await call(await h.token('agent1@example.com'), 'PUT', '/mail/templates/acknowledgement/en', { body: { subject: 'x', text: 'y' }, headers: { 'if-match': '"1"' } })).status).toBe(403);
    const r = await deliver({ from: 'customer2@example.com', subject: 'Template check', text: 'x' });
    expect((await sendOutbound(h.mailDeps, { kind: 'ack', caseId: r.record.caseId! })).sent).toBe(true);
    expect(h.sent.at(-1)).toMatchObject({ subject: `Case ${r.record.ticketNumber} opened`, text: 'Dear Dana Doe, we have it.' });
  });
});
