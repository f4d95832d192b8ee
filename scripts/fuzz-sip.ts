/**
 * Long-running fuzzer for the SIP parser, the shared transport receive path and the SDP parser
 * (issue #4). The test suite runs ~100 000 inputs on every `npm test`; this runs millions:
 *
 *   npx tsx scripts/fuzz-sip.ts --messages 5000000 --seed 42 [--sdp-share 0.1] [--out .tmp/fuzz]
 *
 * Prints one JSON summary: {"messages", "crashes", "slowest_us", "seed", ...}. A crash is any
 * broken invariant (see src/telephony/sip/testing/fuzz.ts and src/telephony/media/sdp-fuzz.ts):
 * a throw, an `internal` parse error, an ill-typed or non-round-tripping result, an answer sent
 * anywhere but back to the source, or a parse slower than --max-ms even when re-timed (a hang).
 * With --out, each crashing input is written there for replay. Exit status 1 when crashes > 0.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SDP_SEEDS, fuzzSdpOne } from '../src/telephony/media/sdp-fuzz.ts';
import { silentLogger } from '../src/telephony/sip/logger.ts';
import { topVia } from '../src/telephony/sip/message-factory.ts';
import type { SipMessage } from '../src/telephony/sip/message.ts';
import { parseMessage } from '../src/telephony/sip/parser.ts';
import { Rng, fuzzOne, mutate, randomInput, sipSeedCorpus } from '../src/telephony/sip/testing/fuzz.ts';
import {
  emptyStats,
  handleInbound,
  responseTarget,
  type PeerAddress,
} from '../src/telephony/sip/transport.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    seed: { type: 'string' },
    'sdp-share': { type: 'string', default: '0.1' },
    'max-ms': { type: 'string', default: '100' },
    out: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});

const total = Number(values.messages);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const sdpShare = Number(values['sdp-share']);
const maxMs = Number(values['max-ms']);
if (!Number.isInteger(total) || total < 1) throw new Error('--messages must be a positive integer');
if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
if (!(sdpShare >= 0 && sdpShare <= 1)) throw new Error('--sdp-share must be within 0..1');

const rng = new Rng(seed);
const sipCorpus = sipSeedCorpus();
const sdpCorpus = SDP_SEEDS.map((s) => Buffer.from(s, 'utf8'));
const source: PeerAddress = { transport: 'udp', host: '127.0.0.9', port: 40_999 };

const summary = {
  messages: 0,
  crashes: 0,
  slowest_us: 0,
  seed,
  sip_messages: 0,
  sip_parsed_ok: 0,
  sdp_messages: 0,
  sdp_parsed_ok: 0,
  slowest_raw_us: 0,
  elapsed_s: 0,
  violations: {} as Record<string, number>,
};

function retimeMicros(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000);
  }
  return best;
}

/** Answers and delivered requests must route back to the source (forced rport), whatever the Via says. */
function routingViolations(input: Buffer): string[] {
  const out: string[] = [];
  const check = (message: SipMessage, what: string): void => {
    const target = responseTarget(topVia(message), source);
    if (target.host !== source.host || target.port !== source.port)
      out.push(`${what} routed to ${target.host}:${target.port}`);
  };
  handleInbound(input, source, {
    delegate: { onMessage: (m) => (m.kind === 'request' ? check(m, 'request') : undefined) },
    stats: emptyStats(),
    logger: silentLogger,
    localHost: '127.0.0.1',
    forceRport: true,
    reply: async (response) => check(response, 'reply'),
  });
  return out;
}

function record(input: Buffer, violations: string[], kind: 'sip' | 'sdp'): void {
  if (violations.length === 0) return;
  summary.crashes++;
  for (const v of violations) {
    const key = `${kind}: ${v.split('\n')[0]?.slice(0, 60)}`;
    summary.violations[key] = (summary.violations[key] ?? 0) + 1;
  }
  if (values.out !== undefined) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, `${kind}-${seed}-${summary.messages}.bin`), input);
  }
}

const started = Date.now();
let nextReport = started + 10_000;
for (let i = 0; i < total; i++) {
  summary.messages++;
  if (rng.chance(sdpShare)) {
    summary.sdp_messages++;
    const input = mutate(rng, rng.pick(sdpCorpus), sdpCorpus);
    const text = input.toString('utf8');
    const outcome = fuzzSdpOne(text);
    if (outcome.parsed) summary.sdp_parsed_ok++;
    summary.slowest_raw_us = Math.max(summary.slowest_raw_us, outcome.micros);
    let micros = outcome.micros;
    if (micros > maxMs * 250) micros = retimeMicros(() => fuzzSdpOne(text));
    summary.slowest_us = Math.max(summary.slowest_us, Math.round(micros));
    const violations = [...outcome.violations];
    if (micros > maxMs * 1000) violations.push(`took ${Math.round(micros)} us`);
    record(input, violations, 'sdp');
  } else {
    summary.sip_messages++;
    const input = rng.chance(0.1) ? randomInput(rng) : mutate(rng, rng.pick(sipCorpus), sipCorpus);
    const outcome = fuzzOne(input);
    if (outcome.result?.ok === true) summary.sip_parsed_ok++;
    summary.slowest_raw_us = Math.max(summary.slowest_raw_us, outcome.micros);
    let micros = outcome.micros;
    if (micros > maxMs * 250) micros = retimeMicros(() => parseMessage(input));
    summary.slowest_us = Math.max(summary.slowest_us, Math.round(micros));
    const violations = [...outcome.violations];
    if (micros > maxMs * 1000) violations.push(`took ${Math.round(micros)} us`);
    // The receive path re-parses, so it runs on every fourth input to keep throughput up.
    if (i % 4 === 0) violations.push(...routingViolations(input));
    record(input, violations, 'sip');
  }
  if (!values.quiet && Date.now() >= nextReport) {
    nextReport += 10_000;
    const rate = Math.round(summary.messages / ((Date.now() - started) / 1000));
    process.stderr.write(`fuzz-sip: ${summary.messages}/${total} (${rate}/s), ${summary.crashes} crashes\n`);
  }
}
summary.elapsed_s = Math.round((Date.now() - started) / 100) / 10;
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exitCode = summary.crashes > 0 ? 1 : 0;
