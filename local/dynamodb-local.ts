/**
 * DynamoDB Local, AWS's own engine, without Docker: the jar ships inside the npm package
 * `amplify-dynamodb-simulator`; we `npm pack` it once into a cache folder (no ~280 transitive
 * packages) and run it with the machine's Java 17 (installed from Debian when missing and root).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

const SIMULATOR = 'amplify-dynamodb-simulator@2.9.30';
export const cacheDir = () => join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'helpdesk');
const emulatorDir = () => join(cacheDir(), 'dynamodb-local-2.9.30');

const say = (msg: string) => process.stderr.write(`[setup] ${msg}\n`);

export function ensureJava(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return;
  } catch {
    /* not installed */
  }
  if (process.getuid?.() !== 0)
    throw new Error('Java 17 is needed for DynamoDB Local. Install it (Debian: apt-get install openjdk-17-jre-headless) and retry.');
  say('installing Java 17 (openjdk-17-jre-headless) for DynamoDB Local...');
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null'], {
    stdio: 'inherit',
  });
}

/** Downloads (once) and returns the folder holding DynamoDBLocal.jar. */
export function ensureDynamoDbLocal(): string {
  const dir = emulatorDir();
  if (existsSync(join(dir, 'DynamoDBLocal.jar'))) return dir;
  say(`fetching DynamoDB Local (${SIMULATOR}) into ${dir}...`);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('npm', ['pack', SIMULATOR, '--silent', '--pack-destination', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('npm pack did not produce a tarball');
  execFileSync('tar', ['xzf', join(tmp, tgz), '-C', tmp, 'package/emulator']);
  rmSync(dir, { recursive: true, force: true });
  execFileSync('mv', [join(tmp, 'package', 'emulator'), dir]);
  rmSync(tmp, { recursive: true, force: true });
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningDynamo {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local on 127.0.0.1. `dbPath` persists data; without it the engine is in memory. */
export async function startDynamoDbLocal(opts: { dbPath?: string; port?: number } = {}): Promise<RunningDynamo> {
  ensureJava();
  const dir = ensureDynamoDbLocal();
  const port = opts.port ?? (await freePort());
  const args = [
    '-Xms64m',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-disableTelemetry',
    ...(opts.dbPath ? ['-dbPath', opts.dbPath, '-sharedDb'] : ['-inMemory', '-sharedDb']),
  ];
  if (opts.dbPath) mkdirSync(opts.dbPath, { recursive: true });
  const child = spawn('java', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(endpoint, { method: 'POST' });
      if (res.status > 0) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
