/**
 * Section 7: inbound mail throughput in-process. The fixture corpus (built by code) is parsed
 * alone, then run through the whole inbound use case (parse, dedupe, trust, bounce, threading,
 * content, case write) on in-memory ports, in the same run, round-robin, several rounds; the
 * figure is messages per second and the ratio of the two (target: at least 0.5).
 */
import { performance } from 'node:perf_hooks';
import { memoryMailDeps } from '../shared/adapters/memory/mail-deps';
import { parseMime } from '../shared/adapters/mail/parse';
import { processInbound } from '../shared/app/inbound-mail';
import { buildCorpus } from '../test/fixtures/mail/corpus';
import { median, round, say, section, table } from './lib/report';

export const MAIL_RATIO_TARGET = 0.5;

export interface MailBenchResult {
  messages: number;
  bytes: number;
  rounds: number;
  parseOnlyPerSecond: number;
  handlerPerSecond: number;
  ratio: number;
  met: boolean;
}

export async function runMailBench(opts: { rounds: number }): Promise<MailBenchResult> {
  section(`7. Inbound mail: parse alone vs the whole inbound use case on in-memory ports (${opts.rounds} rounds)`);
  const corpus = buildCorpus();
  const bytes = corpus.reduce((s, m) => s + m.raw.length, 0);
  const parseRates: number[] = [];
  const handlerRates: number[] = [];
  // warm up both paths once
  for (const m of corpus.slice(0, 20)) await parseMime(m.raw, 'warm');
  for (let round = 0; round < opts.rounds; round++) {
    let t = performance.now();
    for (const [i, m] of corpus.entries()) await parseMime(m.raw, `p-${round}-${i}`);
    parseRates.push(corpus.length / ((performance.now() - t) / 1000));

    // fresh stores each round, so every message is new work (no duplicates short-cut)
    const { deps } = memoryMailDeps({ now: () => new Date('2026-11-25T12:00:00Z') });
    for (const [i, m] of corpus.entries()) await deps.blobs.put(`inbound/${i}.eml`, m.raw, 'message/rfc822');
    t = performance.now();
    for (const [i] of corpus.entries()) await processInbound(deps, { blobKey: `inbound/${i}.eml`, deliveryId: `h-${round}-${i}` });
    handlerRates.push(corpus.length / ((performance.now() - t) / 1000));
  }
  const parseOnly = round(median(parseRates), 0);
  const handler = round(median(handlerRates), 0);
  const ratio = round(handler / parseOnly, 2);
  const result: MailBenchResult = { messages: corpus.length, bytes, rounds: opts.rounds, parseOnlyPerSecond: parseOnly, handlerPerSecond: handler, ratio, met: ratio >= MAIL_RATIO_TARGET };
  say(table(['messages', 'MB', 'parse only msg/s (p50)', 'inbound use case msg/s (p50)', 'ratio'], [[result.messages, round(bytes / 1048576, 1), parseOnly, handler, ratio]]));
  return result;
}
