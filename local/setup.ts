/**
 * What the tests need on this machine, installed when missing: Java 17, DynamoDB Local and
 * Chromium. Run by `npm test` before vitest, so a fresh clone (or CI) needs nothing by hand.
 */
import { ensureChromium } from './chromium';
import { ensureDynamoDbLocal, ensureJava } from './dynamodb-local';

const started = Date.now();
ensureJava();
const dir = ensureDynamoDbLocal();
const chromium = ensureChromium();
process.stderr.write(`[setup] Java, DynamoDB Local (${dir}) and Chromium (${chromium}) ready in ${Date.now() - started} ms\n`);
