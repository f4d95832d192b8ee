/**
 * Acceptance (issue #4, CC-10): a recording survives a crash up to the moment of the crash. The
 * real server runs as a child process; a SIPp caller is bridged to agent 1001's SIPp phone and
 * recorded (policy default: always). After a few seconds of audio the whole server process group
 * is killed with SIGKILL (the media worker is a thread of it), and the server is started again on
 * the same data directory and database. The recording must then be a valid WAV whose header sizes
 * match the file, as long as the talk time before the kill, with audio on both channels; the
 * call's CDR, left open by the crash, is closed at start-up as failed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDesk, agentPhone, connectedCall, waitingCaller } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { sippRegister } from '../support/sipp.ts';
import {
  ApiClient,
  spawnSystemUnderTest,
  systemDatabases,
  type SystemProcess,
} from '../support/system-under-test.ts';
import { analyzeWav } from '../support/wav-analysis.ts';

interface Cdr {
  id: string;
  callId: string;
  agent: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  disposition: string;
  hangupBy: string | null;
  recordingUrl: string | null;
}

const HEADER = 44;
/** PCM16 stereo at 8 kHz. */
const BYTES_PER_SEC = 8000 * 2 * 2;
/** The streaming writer's placeholder data size (src/telephony/media/wav-writer.ts). */
const STREAMING_DATA_SIZE = 0xffffffd8;
/** Audio on disk before the kill: a few seconds of conversation. */
const TALK_BEFORE_KILL_SEC = 4;

function findRecording(dataDir: string, cdrId: string): string | null {
  const root = join(dataDir, 'recordings');
  const rel = readdirSync(root, { recursive: true, encoding: 'utf8' }).find((f) =>
    f.endsWith(`${cdrId}.wav`),
  );
  return rel ? join(root, rel) : null;
}

function headerSizes(file: string): { riff: number; data: number; fileSize: number } {
  const b = readFileSync(file);
  expect(b.toString('ascii', 0, 4)).toBe('RIFF');
  expect(b.toString('ascii', 8, 16)).toBe('WAVEfmt ');
  expect(b.toString('ascii', 36, 40)).toBe('data');
  return { riff: b.readUInt32LE(4), data: b.readUInt32LE(40), fileSize: b.length };
}

describe.each(systemDatabases())('recording cut by a crash (%s)', (database) => {
  let sut: SystemProcess;
  beforeAll(async () => {
    sut = await spawnSystemUnderTest({}, database);
  });
  afterAll(async () => {
    await sut?.stop();
  });

  it('is a valid WAV of the talk up to the SIGKILL after a restart, and the CDR is closed as failed', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const phonePort = await freeSipPort();
    const callerPort = phonePort + 8;
    await sippRegister(target, phonePort, '1001', 'demo1234');
    const desk = await agentDesk(sut, '1001');
    await expect
      .poll(async () => (await desk.api.json<{ registered: boolean }>('GET', '/api/agent/state')).registered)
      .toBe(true);
    const sup = new ApiClient(sut.baseUrl);
    await sup.login('supervisor');

    const phone = agentPhone(target, phonePort);
    const caller = waitingCaller(target, callerPort, '13800000001');
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(desk).catch(async (err: Error) => {
      phone.kill();
      caller.kill();
      const [p, c] = await Promise.all([phone.done, caller.done]);
      throw new Error(
        `${err.message}\nphone:\n${p.output.slice(-1500)}\ncaller:\n${c.output.slice(-1500)}\nserver:\n${sut.output.slice(-3000)}`,
      );
    });

    // The policy's recording starts right after the bridge and is on the CDR from then on.
    let cdr: Cdr | undefined;
    await expect
      .poll(
        async () => {
          cdr = (await sup.json<Cdr[]>('GET', '/api/cdrs?limit=20')).find((c) => c.callId === callId);
          return cdr?.recordingUrl ?? null;
        },
        { timeout: 10_000 },
      )
      .not.toBeNull();
    expect(cdr).toMatchObject({ agent: '1001', disposition: 'in_progress', endedAt: null });
    const file = findRecording(sut.dataDir, cdr!.id);
    expect(file, 'recording file on disk').not.toBeNull();

    // Let the two talk until the file holds a few seconds of audio, then kill the server hard.
    await expect
      .poll(() => statSync(file!).size, { timeout: 20_000, interval: 100 })
      .toBeGreaterThanOrEqual(HEADER + TALK_BEFORE_KILL_SEC * BYTES_PER_SEC);
    const killedMs = Date.now();
    const pid = sut.pid;
    await sut.kill('SIGKILL');
    expect(() => process.kill(pid, 0)).toThrow();
    // Talk time by the server's own clock: from the answer on the CDR to the kill.
    const talkSec = (killedMs - Date.parse(cdr!.answeredAt!)) / 1000;
    // The peers wait for a BYE that never comes.
    phone.kill();
    caller.kill();
    await Promise.all([phone.done, caller.done]);

    // As the crash left it: the streaming header, sizes that do not match the file.
    const cut = headerSizes(file!);
    expect(cut.data).toBe(STREAMING_DATA_SIZE);
    expect(cut.fileSize).toBeGreaterThanOrEqual(HEADER + TALK_BEFORE_KILL_SEC * BYTES_PER_SEC);

    await sut.restart();

    // Start-up closed the call left open and repaired its recording.
    const after = new ApiClient(sut.baseUrl);
    await after.login('supervisor');
    const closed = (await after.json<Cdr[]>('GET', '/api/cdrs?limit=20')).find((c) => c.callId === callId);
    expect(closed).toMatchObject({
      id: cdr!.id,
      disposition: 'failed',
      hangupBy: null,
      answeredAt: cdr!.answeredAt,
      recordingUrl: cdr!.recordingUrl,
    });
    // The end of a call cut by a crash is where its recording stops (answer + captured audio),
    // not the restart: the downtime is not talk time.
    const endedMs = Date.parse(closed!.endedAt!);
    expect(endedMs).toBeLessThanOrEqual(killedMs + 100);
    expect(endedMs).toBeGreaterThan(killedMs - 1500);

    const repaired = headerSizes(file!);
    expect(repaired.fileSize).toBeLessThanOrEqual(cut.fileSize);
    expect(repaired.fileSize).toBeGreaterThan(cut.fileSize - 4);
    expect(repaired.riff).toBe(repaired.fileSize - 8);
    expect(repaired.data).toBe(repaired.fileSize - HEADER);
    expect(repaired.data % 4).toBe(0);

    const wav = analyzeWav(file!);
    expect(wav.channels).toBe(2);
    expect(wav.sampleRate).toBe(8000);
    expect(wav.durationSec).toBeGreaterThanOrEqual(TALK_BEFORE_KILL_SEC);
    // Everything up to the kill, less the recorder's jitter allowance (200 ms), its flush period and
    // the start of the recording just after the bridge; never more than the talk time.
    expect(wav.durationSec).toBeGreaterThan(talkSec - 1.5);
    expect(wav.durationSec).toBeLessThanOrEqual(talkSec + 0.1);
    // The CDR's talk time is the recording's length.
    expect(Math.abs(endedMs - Date.parse(cdr!.answeredAt!) - wav.durationSec * 1000)).toBeLessThan(20);
    // Caller (left) and agent (right) both speak: neither channel is silence.
    expect(wav.activeShare[0]).toBeGreaterThan(0.3);
    expect(wav.activeShare[1]).toBeGreaterThan(0.3);

    // And it is served as it is on disk.
    const served = await after.request('GET', closed!.recordingUrl!);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(readFileSync(file!))).toBe(true);
    desk.ws.close();
  }, 150_000);
});
