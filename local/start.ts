/** `npm start`: the whole help desk on this machine, with demo data, until Ctrl-C. */
import { resolve } from 'node:path';
import { DEMO_PASSWORD } from './seed';
import { startRuntime } from './runtime';

const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const port = Number(process.env.PORT ?? 3000);
const smtpPort = Number(process.env.SMTP_PORT ?? 2525);
const started = Date.now();
let runtime: Awaited<ReturnType<typeof startRuntime>>;
try {
  runtime = await startRuntime({ dataDir, port, smtpPort, log: (l) => console.log(`  ${l}`) });
} catch (e) {
  console.error(`\nCould not start: ${(e as Error).message}`);
  process.exit(1);
}

const users = runtime.identity.listUsers();
console.log(`
Help desk is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s; data in ${dataDir})

  Web app         ${runtime.url}/
  API             ${runtime.url}
  API reference   ${runtime.url}/docs
  OpenAPI         ${runtime.url}/openapi.json
  DynamoDB Local  ${runtime.dynamoEndpoint} (table ${runtime.table})
  Mail in (SMTP)  127.0.0.1:${runtime.smtpPort}, to ${process.env.SUPPORT_ADDRESSES} (e.g. swaks --server 127.0.0.1:${runtime.smtpPort} --to support@example.com)
  Mail out (SES)  ${runtime.sesUrl}/ (what the help desk sent)
  SLA clock       ${runtime.url}/_local/clock (admin token; POST {"advanceMinutes": n} moves time forward for SLA demos)${runtime.clock.offsetMs ? `, now ${Math.round(runtime.clock.offsetMs / 60_000)} min ahead of real time` : ''}

Demo logins (password "${DEMO_PASSWORD}"):
${users.map((u) => `  ${u.email.padEnd(24)} ${u.groups.join(', ')}`).join('\n')}

Get a token:
  curl -s -X POST ${runtime.url}/local/token -H 'content-type: application/json' \\
       -d '{"email":"agent1@example.com","password":"${DEMO_PASSWORD}"}'

Press Ctrl-C to stop.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
