import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCSeq } from './cseq.ts';
import { serialize } from './message.ts';
import { parseNameAddr } from './name-addr.ts';
import { parseMessage } from './parser.ts';
import { sipMessage, sipRequest, sipResponse, type GeneratedMessage } from './testing/arbitraries.ts';
import { Rng, fuzzOne, messageDifference, mutate, sipSeedCorpus } from './testing/fuzz.ts';
import { parseVia } from './via.ts';

/**
 * Structured generators (fast-check): valid requests and responses built from typed parts must
 * survive serialize → parse unchanged, down to each Via, From, To and CSeq; and the same messages
 * under mutation must still meet the parser's invariants.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 4_475);

function roundTrip({ message, parts }: GeneratedMessage): void {
  const wire = serialize(message);
  const parsed = parseMessage(wire);
  if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}\n${wire.toString()}`);
  expect(messageDifference(message, parsed.message)).toBeUndefined();
  expect(parsed.message.headers.get('content-length')).toBe(String(message.body.length));
  expect(serialize(parsed.message).equals(wire)).toBe(true);
  const h = parsed.message.headers;
  expect(isDeepStrictEqual(h.getAll('via').map(parseVia), parts.vias)).toBe(true);
  expect(isDeepStrictEqual(parseNameAddr(h.get('from') ?? ''), parts.from)).toBe(true);
  expect(isDeepStrictEqual(parseNameAddr(h.get('to') ?? ''), parts.to)).toBe(true);
  expect(h.get('call-id')).toBe(parts.callId);
  expect(parseCSeq(h.get('cseq') ?? '')).toEqual(parts.cseq);
}

describe('structured SIP generators round-trip (parse ∘ serialize = id)', () => {
  it('requests', () => {
    fc.assert(fc.property(sipRequest, roundTrip), { numRuns: 1_500, seed: SEED });
  });

  it('responses', () => {
    fc.assert(fc.property(sipResponse, roundTrip), { numRuns: 1_500, seed: SEED + 1 });
  });

  it('generated messages under byte and line mutations keep the parser invariants', () => {
    const corpus = sipSeedCorpus();
    fc.assert(
      fc.property(sipMessage, fc.integer(), ({ message }, seed) => {
        const input = mutate(new Rng(seed), serialize(message), corpus);
        expect(fuzzOne(input).violations).toEqual([]);
      }),
      { numRuns: 2_000, seed: SEED + 2 },
    );
  });
});
