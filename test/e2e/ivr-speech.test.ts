/**
 * Acceptance (issue #5, IVR-04): a closed speech loop on a real call. SIPp signals; the caller's
 * media is the test's own RTP party (tone-caller.xml, speech-party.ts). The hotline runs an `asr`
 * node asking for a waybill number.
 *
 * - Speech: the caller says the delivered demo waybill, synthesised by flite (`rms`, the voice
 *   asr.test.ts shows pocketsphinx recognises reliably; espeak-ng's English is not: 26-30% of
 *   digits), sent as G.711 μ-law. The CDR path must show the recognised digits, their confidence
 *   and the found branch. The IVR's spoken answer is captured on the caller's side and recognised
 *   with pocketsphinx over a small word list; it must contain the status words and the digits.
 *   The answer is English spoken by flite (TTS_ENGINE_EN=flite): pocketsphinx has no Mandarin
 *   model here and does not recognise espeak-ng's English (measured in speech/README.md).
 * - DTMF fallback: the caller stays silent, is asked to key the number in, and presses it (RFC 4733);
 *   a caller who says a sentence instead of digits is asked for keys too.
 * - Barge-in: keys pressed while the prompt plays are taken at once; nothing is recognised.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WAYBILLS } from '../../src/cli/demo-shipments.ts';
import { readWavFile } from '../../src/telephony/media/wav.ts';
import { PocketsphinxRecognizer } from '../../src/telephony/speech/asr.ts';
import { runSipp } from '../support/sipp.ts';
import { freeSipPort } from '../support/ports.ts';
import { SpeechParty } from '../support/speech-party.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

const run = promisify(execFile);

interface PathStep {
  node: string;
  verb: string;
  input?: string;
  branch?: string;
  recognised?: string;
  confidence?: number;
  speech?: string;
  dtmfFallback?: boolean;
}
interface Cdr {
  caller: string;
  endedAt: string | null;
  ivrPath: PathStep[];
}

const HOTLINE = '4008001000';
const WAYBILL = DEMO_WAYBILLS.delivered;
const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const work = mkdtempSync(join(tmpdir(), 'sy-ivr-speech-'));
let sut: SystemUnderTest;
let admin: ApiClient;

/** The hotline as one asr node → waybill lookup → English answer → goodbye. */
const speechFlow = {
  name: 'Speech hotline',
  start: 'ask',
  nodes: {
    ask: {
      verb: 'asr',
      prompt: [{ tts: 'Please say your waybill number.', lang: 'en' }],
      into: 'waybill',
      minDigits: 9,
      maxDigits: 12,
      noSpeechSec: 4,
      maxSpeechSec: 10,
      timeoutSec: 6,
      retries: 1,
      next: 'find',
      noInput: 'bye',
    },
    find: { verb: 'lookup', source: 'waybill', input: 'waybill', found: 'status', notFound: 'unknown' },
    status: {
      verb: 'say',
      text: 'Your parcel {shipment.waybill|digits} is {shipment.statusEn}.',
      lang: 'en',
      next: 'bye',
    },
    unknown: { verb: 'say', text: 'Sorry, waybill {waybill|digits} not found.', lang: 'en', next: 'bye' },
    bye: { verb: 'hangup', prompt: [{ tts: 'Goodbye.', lang: 'en' }] },
  },
};

beforeAll(async () => {
  sut = await startSystemUnderTest({ TTS_ENGINE_EN: 'flite' });
  admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
  const flows = await admin.json<{ id: string; serviceNumbers: string[] }[]>('GET', '/api/ivr/flows');
  const hotline = flows.find((f) => f.serviceNumbers.includes(HOTLINE))!;
  await admin.json('POST', '/api/ivr/flows', { id: hotline.id, document: speechFlow });
  await admin.json('POST', `/api/ivr/flows/${hotline.id}/publish`, {});
}, 60_000);
afterAll(async () => {
  await sut?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function endedCdrOf(caller: string): Promise<Cdr> {
  let found: Cdr | undefined;
  await expect
    .poll(
      async () => {
        const rows = await admin.json<Cdr[]>('GET', '/api/cdrs?limit=20');
        found = rows.find((c) => c.caller === caller);
        return found?.endedAt ?? null;
      },
      { timeout: 30_000, interval: 250 },
    )
    .not.toBeNull();
  return found!;
}

let said = 0;
/** `text` spoken by flite's rms voice, as 8 kHz mono PCM16. */
async function flite(text: string): Promise<Int16Array> {
  const wide = join(work, `say-${said}.wav`);
  const narrow = join(work, `say-${said++}-8k.wav`);
  await run('flite', ['-voice', 'rms', '-t', text, '-o', wide]);
  await run('sox', [wide, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', narrow]);
  return readWavFile(narrow);
}

/**
 * Words pocketsphinx hears in `pcm`, decoded with the narrowband model over a loop of the words
 * the IVR's answers may use (any order, any number): nothing forces the expected sentence.
 */
async function recogniseWords(pcm: Int16Array): Promise<string[]> {
  const asrDir = join(work, 'asr');
  // Prepares the narrowband copy of the en-us model (the product's own preparation).
  await new PocketsphinxRecognizer({ workDir: asrDir }).recognizeDigits(new Int16Array(800), 8000);
  const model = join(asrDir, 'pocketsphinx-en-us-8k-v1');
  const vocabulary = [
    ...DIGIT_WORDS,
    ...['oh', 'your', 'parcel', 'is', 'in', 'transit', 'delivered', 'out', 'for', 'delivery'],
    ...['picked', 'up', 'exception', 'sorry', 'not', 'found', 'goodbye', 'please', 'say', 'number'],
  ];
  const dictionary = readFileSync('/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict', 'utf8');
  const entries = dictionary
    .split('\n')
    .filter((l) => vocabulary.includes(l.split(' ')[0]!.replace(/\(\d+\)$/, '')));
  const dir = join(work, `answer-${said++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'words.dict'), `${entries.join('\n')}\n`);
  writeFileSync(
    join(dir, 'words.gram'),
    `#JSGF V1.0;\ngrammar words;\npublic <words> = <w>+;\n<w> = ${vocabulary.join(' | ')};\n`,
  );
  const audio = Buffer.alloc((pcm.length + 3200) * 2);
  pcm.forEach((s, i) => audio.writeInt16LE(s, (i + 1600) * 2));
  writeFileSync(join(dir, 'utt.raw'), audio);
  writeFileSync(join(dir, 'ctl'), 'utt\n');
  await run('pocketsphinx_batch', [
    ...['-hmm', model, '-samprate', '8000', '-adcin', 'yes', '-cepdir', dir, '-cepext', '.raw'],
    ...['-ctl', join(dir, 'ctl'), '-hypseg', join(dir, 'seg'), '-logfn', join(dir, 'log')],
    ...['-jsgf', join(dir, 'words.gram'), '-dict', join(dir, 'words.dict')],
  ]);
  const seg = readFileSync(join(dir, 'seg'), 'utf8');
  return seg
    .split(/\s+/)
    .filter((w) => /^[a-z]/.test(w) && w !== 'utt')
    .map((w) => w.replace(/\(\d+\)$/, ''));
}

function digitsOf(words: string[]): string {
  return (
    words
      // "oh" is 0 and "for" sounds like 4 (the word list has both for the status phrases).
      .map((w) => (w === 'oh' ? 'zero' : w === 'for' ? 'four' : w))
      .map((w) => (DIGIT_WORDS.includes(w) ? String(DIGIT_WORDS.indexOf(w)) : ''))
      .join('')
  );
}

/** A caller on the hotline whose audio is `party`; resolves when the IVR has hung up. */
function dial(party: SpeechParty, caller: string, port: number) {
  return runSipp({
    scenario: 'tone-caller.xml',
    target: `127.0.0.1:${sut.sipPort}`,
    localPort: port,
    service: HOTLINE,
    vars: { caller, rtp_port: party.port },
    timeoutSec: 90,
  });
}

describe('speech on the IVR (IVR-04)', () => {
  it('recognises a spoken waybill number, and the caller recognises the spoken answer', async () => {
    const party = await SpeechParty.open();
    const utterance = await flite([...WAYBILL].map((d) => DIGIT_WORDS[Number(d)]).join(' '));
    try {
      const call = dial(party, '13800000301', await freeSipPort());
      await party.promptEnded();
      await party.say(utterance);
      const answerFrom = party.receivedSamples;
      const result = await call.done;
      expect(result.code, result.output.slice(-3000)).toBe(0);

      const cdr = await endedCdrOf('13800000301');
      expect(cdr.ivrPath[0]).toMatchObject({
        node: 'ask',
        verb: 'asr',
        recognised: WAYBILL,
        speech: 'recognised',
      });
      expect(cdr.ivrPath[0]!.confidence).toBeGreaterThanOrEqual(0.3);
      expect(cdr.ivrPath[0]!.dtmfFallback).toBe(false);
      expect(cdr.ivrPath.slice(1, 3)).toEqual([
        { node: 'find', verb: 'lookup', branch: 'found' },
        { node: 'status', verb: 'say' },
      ]);

      // "Your parcel 6 0 2 … is delivered. Goodbye." as the caller heard it.
      const words = await recogniseWords(party.heardSince(answerFrom));
      // Heard in one run: "your parcel six zero two three one eight for five seven nine zero two is
      // delivery eight goodbye" — "delivered" comes out as "delivery eight" over this vocabulary.
      const heard = words.join(' ');
      expect(heard).toMatch(/\bparcel\b.*\bdeliver(ed|y)\b/);
      expect(heard).not.toMatch(/transit|out for|not found/);
      expect(digitsOf(words)).toContain(WAYBILL.slice(0, 6));
      expect(digitsOf(words)).toContain(WAYBILL.slice(-4));
    } finally {
      await party.close();
    }
  }, 120_000);

  it('asks a silent caller to key the number in and takes the keyed digits (DTMF fallback)', async () => {
    const party = await SpeechParty.open();
    try {
      const call = dial(party, '13800000302', await freeSipPort());
      await party.promptEnded(); // "Please say your waybill number."
      await party.promptEnded(); // silence, then "Sorry, I did not catch that. Please key in …"
      await party.press(WAYBILL); // 12 digits: maxDigits ends the input
      const result = await call.done;
      expect(result.code, result.output.slice(-3000)).toBe(0);

      const cdr = await endedCdrOf('13800000302');
      expect(cdr.ivrPath[0]).toEqual({
        node: 'ask',
        verb: 'asr',
        speech: 'no_speech',
        dtmfFallback: true,
        input: WAYBILL,
      });
      expect(cdr.ivrPath[1]).toEqual({ node: 'find', verb: 'lookup', branch: 'found' });
    } finally {
      await party.close();
    }
  }, 120_000);
  it('does not take speech that is not digits: the caller is asked for keys instead', async () => {
    const party = await SpeechParty.open();
    const sentence = await flite('Hello, I would like to talk to somebody about my order, please.');
    try {
      const call = dial(party, '13800000303', await freeSipPort());
      await party.promptEnded();
      await party.say(sentence);
      await party.promptEnded(); // "Sorry, I did not catch that. Please key in …"
      await party.press(WAYBILL);
      const result = await call.done;
      expect(result.code, result.output.slice(-3000)).toBe(0);

      const step = (await endedCdrOf('13800000303')).ivrPath[0]!;
      expect(step).toMatchObject({ node: 'ask', dtmfFallback: true, input: WAYBILL });
      expect(['no_match', 'low_confidence']).toContain(step.speech);
      if (step.speech === 'low_confidence') expect(step.confidence).toBeLessThan(0.3);
    } finally {
      await party.close();
    }
  }, 120_000);

  it('takes keys pressed during the prompt at once (barge-in), without listening', async () => {
    const party = await SpeechParty.open();
    try {
      const call = dial(party, '13800000304', await freeSipPort());
      await party.promptStarted();
      await party.press(WAYBILL);
      const result = await call.done;
      expect(result.code, result.output.slice(-3000)).toBe(0);
      const cdr = await endedCdrOf('13800000304');
      expect(cdr.ivrPath[0]).toEqual({
        node: 'ask',
        verb: 'asr',
        speech: 'barge_in',
        dtmfFallback: true,
        input: WAYBILL,
      });
      expect(cdr.ivrPath[1]).toEqual({ node: 'find', verb: 'lookup', branch: 'found' });
    } finally {
      await party.close();
    }
  }, 120_000);
  it("walks the asr node in the editor's test call: typed digits stand in for speech, # first for silence", async () => {
    type Step = PathStep & { prompts: unknown[] };
    const spoken = await admin.json<{ steps: Step[]; outcome: { type: string } }>(
      'POST',
      '/api/ivr/flows/test',
      {
        document: speechFlow,
        digits: WAYBILL,
      },
    );
    expect(spoken.steps[0]).toMatchObject({
      node: 'ask',
      recognised: WAYBILL,
      confidence: 1,
      dtmfFallback: false,
    });
    expect(spoken.steps[1]).toMatchObject({ node: 'find', verb: 'lookup' });
    const keyed = await admin.json<{ steps: Step[] }>('POST', '/api/ivr/flows/test', {
      document: speechFlow,
      digits: `#${WAYBILL}`,
    });
    expect(keyed.steps[0]).toMatchObject({ speech: 'no_speech', dtmfFallback: true, input: WAYBILL });
    expect(keyed.steps[0]!.prompts).toHaveLength(2); // the question, then the request for keys

    const broken = {
      ...speechFlow,
      nodes: { ...speechFlow.nodes, ask: { ...speechFlow.nodes.ask, minDigits: 13 } },
    };
    const validation = await admin.json<{ valid: boolean; errors: { node: string; field: string }[] }>(
      'POST',
      '/api/ivr/flows/validate',
      broken,
    );
    expect(validation.valid).toBe(false);
    expect(validation.errors).toContainEqual(expect.objectContaining({ node: 'ask', field: 'minDigits' }));
  });
});
