/**
 * What the tests need on this machine, installed when missing: Java 17 and DynamoDB Local.
 * Run by `npm test` before vitest, so a fresh clone (or CI) needs nothing by hand.
 */
import { ensureDynamoDbLocal, ensureJava } from './dynamodb-local';

const started = Date.now();
ensureJava();
const dir = ensureDynamoDbLocal();
process.stderr.write(`[setup] Java and DynamoDB Local ready (${dir}) in ${Date.now() - started} ms\n`);
