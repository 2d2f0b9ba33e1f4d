/**
 * The e-mail channel through the whole local runtime: SMTP listener -> blob folder -> inbound
 * queue (fauxqs) -> inbound-mail handler -> case; the stream -> events -> outbound queue ->
 * mail-sender -> the SES stand-in, for the acknowledgement and an agent's reply; and a customer's
 * answer by mail continuing the same case.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Runtime, startRuntime } from '../../local/runtime';
import { rawMail } from '../support/mail';
import { sendSmtp } from '../support/smtp';

let rt: Runtime;
let admin: string;
let agent: string;

const token = async (email: string) =>
  ((await (await fetch(`${rt.url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'demo' }) })).json()) as { accessToken: string }).accessToken;
const api = async (tok: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${rt.url}${path}`, { method, headers: { authorization: `Bearer ${tok}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: await res.json().catch(() => undefined) };
};
/** Polls until `check` returns a value (bounded). */
async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
type SentMail = { destination: { to: string[] }; subject?: string; body?: { text?: string }; headers?: { name: string; value: string }[] };
const sesStore = async () => ((await (await fetch(`${rt.sesUrl}/store`)).json()) as { emails: SentMail[] }).emails;

beforeAll(async () => {
  rt = await startRuntime({ dynamoEndpoint: inject('dynamoEndpoint'), table: `mail-${randomUUID().slice(0, 8)}`, port: 0, smtpPort: 0, seed: { cases: 0 } });
  admin = await token('admin@example.com');
  agent = await token('agent1@example.com');
}, 60_000);
afterAll(async () => rt?.stop());

describe('mail through the local runtime', () => {
  it('refuses mail for addresses that are not ours', async () => {
    await expect(sendSmtp(rt.smtpPort, { from: 'x@example.org', to: ['someone@elsewhere.example'] }, 'Subject: x\r\n\r\nx')).rejects.toThrow(/550/);
  });

  it('a customer mail becomes a case and is acknowledged; the agent\'s reply goes out; the customer\'s answer continues the case', async () => {
    const messageId = `rt-${Date.now()}@customer.example`;
    await sendSmtp(rt.smtpPort, { from: 'customer2@example.com', to: ['support@example.com'] }, rawMail({ from: 'Dana Doe <customer2@example.com>', subject: 'Invoice copy please', text: 'Could you send me a copy of invoice 2026-114?', messageId }));
    const rec = await until('the intake record', async () => {
      const list = await api(admin, 'GET', '/mail/inbound');
      return (list.body.items as { messageId: string; outcome: string; caseId: string; ticketNumber: string }[]).find((r) => r.messageId === messageId && r.outcome !== 'processing');
    });
    expect(rec.outcome).toBe('created');
    const c = (await api(agent, 'GET', `/cases/${rec.caseId}`)).body;
    expect(c).toMatchObject({ origin: 'email', title: 'Invoice copy please' });

    const ack = await until('the acknowledgement', async () => (await sesStore()).find((m) => m.subject?.includes(`[${rec.ticketNumber}]`) && m.subject.includes('We received')));
    expect(ack.destination.to).toContain('customer2@example.com');
    expect(ack.headers).toEqual(expect.arrayContaining([{ name: 'Auto-Submitted', value: 'auto-replied' }]));

    expect((await api(agent, 'POST', `/cases/${rec.caseId}/messages`, { body: 'Here is the copy you asked for.' })).status).toBe(201);
    const reply = await until('the reply', async () => (await sesStore()).find((m) => m.subject?.startsWith('Re: Invoice copy please') && m.body?.text?.includes('Here is the copy')));
    expect(reply.subject).toContain(`[${rec.ticketNumber}]`);

    await sendSmtp(rt.smtpPort, { from: 'customer2@example.com', to: ['support@example.com'] }, rawMail({ from: 'customer2@example.com', subject: `Re: ${reply.subject}`, text: 'Thank you, received.\n\n> Here is the copy you asked for.' }));
    // an attachment of a mail, downloaded through a signed link; a tampered link is refused
    await sendSmtp(rt.smtpPort, { from: 'customer2@example.com', to: ['support@example.com'] }, rawMail({ from: 'customer2@example.com', subject: `Photo [${rec.ticketNumber}]`, text: 'See the photo.', attachments: [{ filename: 'scan <1>.png', contentType: 'image/png', content: Buffer.from('PNGDATA') }] }));
    const withPhoto = await until('the photo on the case', async () => {
      const tl = (await api(agent, 'GET', `/cases/${rec.caseId}/timeline`)).body.items as { id: string; kind: string; body?: string }[];
      return tl.find((e) => e.kind === 'message' && e.body === 'See the photo.');
    });
    const link = (await api(agent, 'GET', `/cases/${rec.caseId}/attachments/${withPhoto.id}/0`)).body as { url: string };
    expect(link.url.startsWith(`${rt.url}/local/blobs/attachments/`)).toBe(true);
    const file = await fetch(link.url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('PNGDATA');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="scan <1>\.png"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(link.url.replace(/sig=[^&]+/, 'sig=forged'))).status).toBe(403);
    expect((await fetch(link.url.replace(/name=[^&]+/, 'name=evil.html'))).status).toBe(403);

    const answered = await until('the answer on the case', async () => {
      const tl = (await api(agent, 'GET', `/cases/${rec.caseId}/timeline`)).body.items as { kind: string; body?: string }[];
      return tl.find((e) => e.kind === 'message' && e.body === 'Thank you, received.');
    });
    expect(answered).toBeDefined();
  });
});
