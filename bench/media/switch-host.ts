/**
 * The system under measurement for `npm run bench -- media`, run as its own process so its CPU time
 * can be read from /proc: the production SIP switch (B2BUA, media worker, recorder) with a small
 * dial plan instead of the contact center:
 *   - To `ivr`: answer and play the hold prompt in a loop until the caller hangs up (IVR entry);
 *   - any number: dial it out through the trunk (the load generator), answer the caller, bridge
 *     the two legs and record the call as a stereo WAV, like an answered queue call.
 * Talks to the parent over the IPC channel: `{type: 'ready', sipPort}` once listening,
 * `{type: 'stats', ...}` on `{type: 'stats'}`; exits on `{type: 'stop'}`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/shared/index.ts';
import { shippedPromptsDir } from '../../src/telephony/speech/index.ts';
import { SipSwitch, type CallLeg } from '../../src/telephony/index.ts';

const sipPort = Number(process.env.BENCH_SIP_PORT);
const trunkPort = Number(process.env.BENCH_TRUNK_PORT);
const [rtpMin, rtpMax] = (process.env.BENCH_RTP_PORTS ?? '42000-47999').split('-').map(Number) as [
  number,
  number,
];
const record = process.env.BENCH_RECORD !== '0';
const recordDir = mkdtempSync(join(tmpdir(), 'sy-bench-rec-'));
const prompt = join(shippedPromptsDir, 'hold-music.wav');
const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'error');

const counts = { ivrAnswered: 0, bridged: 0, failed: 0, recordings: 0, active: 0 };
let sequence = 0;

async function bridgeOut(sw: SipSwitch, caller: CallLeg): Promise<void> {
  const pending = sw.dial(caller.toUser, { callerId: caller.fromUser, timeoutMs: 15_000 });
  let callee: CallLeg;
  try {
    callee = await pending.answered;
  } catch {
    counts.failed++;
    await caller.reject(503).catch(() => undefined);
    return;
  }
  // Next to the callee's media, so the bridge and the recording stay in one media worker.
  await caller.answer({ near: callee });
  await sw.bridge(caller, callee);
  const file = join(recordDir, `call-${++sequence}.wav`);
  if (record) await sw.startRecording(caller, callee, file);
  counts.bridged++;
  counts.active++;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    counts.active--;
    void (async () => {
      if (record && (await sw.stopRecording(caller).catch(() => null))) counts.recordings++;
      await caller.hangup();
      await callee.hangup();
      rmSync(file, { force: true });
    })();
  };
  caller.onEnded(end);
  callee.onEnded(end);
}

async function answerIvr(caller: CallLeg): Promise<void> {
  await caller.answer();
  counts.ivrAnswered++;
  void caller.play([prompt], { loop: true });
}

let sw: SipSwitch | null = null;
sw = await SipSwitch.start(
  {
    sipHost: '127.0.0.1',
    sipPort,
    publicAddress: '127.0.0.1',
    rtpPortMin: rtpMin,
    rtpPortMax: rtpMax,
    credentials: () => Promise.resolve(null),
    logger,
    mediaWorkers: process.env.BENCH_MEDIA_WORKERS
      ? process.env.BENCH_MEDIA_WORKERS === 'auto'
        ? 'auto'
        : Number(process.env.BENCH_MEDIA_WORKERS)
      : 'auto',
    // Callers come from loopback, which the SIP edge never rate-limits (sip/security.ts).
    trunk: { host: '127.0.0.1', port: trunkPort, transport: 'udp' },
  },
  {
    onInboundCall: (leg) => {
      const work = leg.toUser === 'ivr' ? answerIvr(leg) : bridgeOut(sw!, leg);
      work.catch(() => {
        counts.failed++;
        void leg.hangup();
      });
    },
    onRegistrationChange: () => undefined,
  },
);

process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') process.send?.({ type: 'stats', ...counts, ...sw?.mediaWorkerInfo() });
  if (m.type === 'stop') {
    void sw
      ?.stop()
      .catch(() => undefined)
      .finally(() => {
        rmSync(recordDir, { recursive: true, force: true });
        process.exit(0);
      });
  }
});
process.send?.({ type: 'ready', sipPort: sw.port });
