/**
 * Call records and recordings (CC-09, CC-10, PLT-02): search by any combination of filters with a
 * total for paging, agents see only their own calls and recordings, every playback and download is
 * in the audit trail, and the recording policy and its audit are for admins.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../../src/store/index.ts';
import { wavHeader } from '../../src/telephony/media/wav.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let sup: ApiClient;
let ids: Record<string, string>;

interface Cdr {
  id: string;
  agent: string | null;
  queue: string | null;
  recordingUrl: string | null;
}

beforeAll(async () => {
  sut = await startSystemUnderTest();
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
  const agents = await sup.json<{ agentId: string; extension: string }[]>('GET', '/api/agents');
  ids = Object.fromEntries(agents.map((a) => [a.extension, a.agentId]));
  const recordings = join(sut.dataDir, 'recordings');
  mkdirSync(join(recordings, '2026'), { recursive: true });
  const wav = Buffer.concat([
    Buffer.from(wavHeader({ encoding: 'pcm16', channels: 2, sampleRate: 8000, dataBytes: 3200 })),
    Buffer.alloc(3200),
  ]);
  const day = (d: number, h: number) => new Date(Date.UTC(2026, 10, d, h));
  const rows = [
    { id: 'cdr_a1', ext: '1001', queue: 'general', caller: '13800000001', d: 20, talk: 30 },
    { id: 'cdr_a2', ext: '1001', queue: 'vip', caller: '13900000002', d: 21, talk: 300 },
    { id: 'cdr_b1', ext: '1002', queue: 'general', caller: '057188881234', d: 21, talk: 90 },
  ];
  for (const r of rows) writeFileSync(join(recordings, '2026', `${r.id}.wav`), wav);
  await sut.system.database.db.insert(tables.cdrs).values(
    rows.map((r) => ({
      id: r.id,
      callId: `call-${r.id}`,
      caller: r.caller,
      callerE164: `+86${r.caller.replace(/^0/, '')}`,
      dnis: '4008001000',
      queue: r.queue,
      agentId: ids[r.ext],
      agentExtension: r.ext,
      offeredAt: day(r.d, 2),
      answeredAt: day(r.d, 2),
      endedAt: new Date(day(r.d, 2).getTime() + r.talk * 1000),
      disposition: 'answered',
      recordingPath: join('2026', `${r.id}.wav`),
    })),
  );
});
afterAll(async () => {
  await sut?.stop();
});

const idsOf = (cdrs: Cdr[]) => cdrs.map((c) => c.id);

describe('call record search', () => {
  it('filters by date, agent, queue, number and talk time, with a total', async () => {
    const res = await sup.request('GET', '/api/cdrs?limit=1');
    expect(res.headers.get('x-total-count')).toBe('3');
    const q = async (query: string) => idsOf(await sup.json<Cdr[]>('GET', `/api/cdrs?${query}`));
    expect(await q('agent=1001')).toEqual(['cdr_a2', 'cdr_a1']);
    expect(await q('queue=general')).toEqual(['cdr_b1', 'cdr_a1']);
    expect(await q('number=0571-8888')).toEqual(['cdr_b1']);
    expect(await q('minTalkSec=60&maxTalkSec=120')).toEqual(['cdr_b1']);
    expect(
      await q(
        `from=${encodeURIComponent('2026-11-21T00:00:00+08:00')}&to=${encodeURIComponent('2026-11-22T00:00:00+08:00')}`,
      ),
    ).toEqual(['cdr_b1', 'cdr_a2']);
    expect(await q('hasRecording=true&agent=1002')).toEqual(['cdr_b1']);
    expect((await sup.request('GET', '/api/cdrs?from=yesterday')).status).toBe(400);
  });

  it('shows agents their own calls and recordings only', async () => {
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1002');
    expect(idsOf(await agent.json<Cdr[]>('GET', '/api/cdrs'))).toEqual(['cdr_b1']);
    expect(idsOf(await agent.json<Cdr[]>('GET', '/api/cdrs?agent=1001'))).toEqual([]);
    expect((await agent.request('GET', '/api/cdrs/cdr_a1')).status).toBe(404);
    expect((await agent.request('GET', '/api/recordings/cdr_a1.wav')).status).toBe(404);
    expect((await agent.request('GET', '/api/recordings/cdr_b1.wav')).status).toBe(200);
  });
});

describe('recording access audit', () => {
  it('records each playback start and download, not every range request', async () => {
    const play = await sup.request('GET', '/api/recordings/cdr_a2.wav');
    expect(play.status).toBe(200);
    await play.arrayBuffer();
    const rangeMid = await fetch(`${sut.baseUrl}/api/recordings/cdr_a2.wav`, {
      headers: { cookie: sup.cookieHeader, range: 'bytes=100-199' },
    });
    expect(rangeMid.status).toBe(206);
    const dl = await sup.request('GET', '/api/recordings/cdr_a2.wav?download=1');
    expect(dl.headers.get('content-disposition')).toContain('attachment');

    const admin = new ApiClient(sut.baseUrl);
    await admin.login('admin');
    const log = await admin.json<{ items: { action: string; username: string; target: string }[] }>(
      'GET',
      '/api/audit?target=cdr_a2',
    );
    expect(log.items.map((e) => e.action)).toEqual(['recording.download', 'recording.play']);
    expect(log.items.every((e) => e.username === 'supervisor')).toBe(true);
    expect((await sup.request('GET', '/api/audit')).status).toBe(403);
  });

  it('lets admins set the recording policy and retention, audited', async () => {
    const admin = new ApiClient(sut.baseUrl);
    await admin.login('admin');
    const policy = await admin.json<{ defaultMode: string; retentionDays: number }>(
      'PUT',
      '/api/telephony/recording-policy',
      { defaultMode: 'always', rules: [{ scope: 'group', value: 'hr', mode: 'never' }], retentionDays: 3650 },
    );
    expect(policy).toMatchObject({ defaultMode: 'always', retentionDays: 3650 });
    expect((await sup.request('PUT', '/api/telephony/recording-policy', policy)).status).toBe(403);
    const bad = await admin.request('PUT', '/api/telephony/recording-policy', { defaultMode: 'sometimes' });
    expect(bad.status).toBe(400);
    // Nothing is older than ten years: the purge deletes nothing.
    expect(await admin.json('POST', '/api/telephony/recording-policy/purge')).toMatchObject({ deleted: 0 });
    const log = await admin.json<{ items: { action: string }[] }>(
      'GET',
      '/api/audit?target=recording-policy',
    );
    expect(log.items.map((e) => e.action)).toEqual(['recording-policy.update']);
  });
});
