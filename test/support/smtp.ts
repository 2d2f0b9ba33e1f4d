/** A minimal SMTP client for tests: one message to 127.0.0.1, checking each reply code. */
import { Socket } from 'node:net';

export async function sendSmtp(port: number, envelope: { from: string; to: string[] }, raw: Uint8Array | string): Promise<string> {
  const socket = new Socket();
  let buffer = '';
  const waiters: ((line: string) => void)[] = [];
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    // a reply is complete at a line "NNN text" (not "NNN-text")
    for (;;) {
      const m = buffer.match(/^(?:\d{3}-[^\n]*\n)*\d{3} [^\n]*\n/);
      if (!m) break;
      buffer = buffer.slice(m[0].length);
      waiters.shift()?.(m[0]);
    }
  });
  const reply = () => new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('SMTP reply timed out')), 10_000);
    waiters.push((line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
  const expect = async (code: string, sent?: string) => {
    const line = await reply();
    if (!line.startsWith(code)) throw new Error(`SMTP: expected ${code} after ${sent ?? 'connect'}, got ${line.trim()}`);
    return line;
  };
  const command = async (line: string, code: string) => {
    const r = expect(code, line);
    socket.write(`${line}\r\n`);
    return r;
  };
  try {
    const greeting = expect('220');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, '127.0.0.1', () => resolve());
    });
    await greeting;
    await command('EHLO test.local', '250');
    await command(`MAIL FROM:<${envelope.from}>`, '250');
    for (const to of envelope.to) await command(`RCPT TO:<${to}>`, '250');
    await command('DATA', '354');
    const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('latin1');
    // dot-stuffing, CRLF line ends, and the terminating dot
    const body = text.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    const done = expect('250', 'DATA');
    socket.write(Buffer.from(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1'));
    const accepted = await done;
    await command('QUIT', '221');
    return accepted.trim();
  } finally {
    socket.destroy();
  }
}
