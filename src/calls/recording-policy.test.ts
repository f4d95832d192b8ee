/** Recording policy precedence, retention on a real embedded database, and crash repair of WAVs. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavHeader } from '../telephony/media/wav.ts';
import { openDatabase, tables, type Database } from '../store/index.ts';
import { RecordingPolicyStore, recordingPolicyInput, repairStreamedWav } from './recording-policy.ts';

let database: Database;
let dir: string;

beforeAll(async () => {
  database = await openDatabase({ url: 'memory://' });
  dir = mkdtempSync(join(tmpdir(), 'sy-rec-'));
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('RecordingPolicyStore', () => {
  it('applies agent, then group, then direction rules, then the default', async () => {
    let r = 0;
    const store = new RecordingPolicyStore(database.db, () => r);
    await store.save(
      recordingPolicyInput.parse({
        defaultMode: 'percentage',
        percentage: 30,
        rules: [
          { scope: 'agent', value: 'agt_vip', mode: 'always' },
          { scope: 'group', value: 'hr', mode: 'never' },
          { scope: 'direction', value: 'internal', mode: 'on_demand' },
        ],
      }),
      'usr_admin',
    );
    expect(store.decide('agt_vip', 'hr', 'inbound')).toEqual({ mode: 'always', record: true });
    expect(store.decide('agt_x', 'hr', 'inbound')).toEqual({ mode: 'never', record: false });
    expect(store.decide('agt_x', 'sales', 'internal')).toEqual({ mode: 'on_demand', record: false });
    r = 0.29;
    expect(store.decide('agt_x', 'sales', 'inbound').record).toBe(true);
    r = 0.31;
    expect(store.decide('agt_x', 'sales', 'inbound').record).toBe(false);
    expect(() =>
      recordingPolicyInput.parse({
        rules: [
          { scope: 'group', value: 'hr', mode: 'never' },
          { scope: 'group', value: 'hr', mode: 'always' },
        ],
      }),
    ).toThrow(/one rule/);
  });

  it('deletes recordings past the retention period and marks their CDRs', async () => {
    const store = new RecordingPolicyStore(database.db);
    await store.save(recordingPolicyInput.parse({ retentionDays: 30 }), 'usr_admin');
    const now = new Date('2026-11-23T12:00:00Z');
    const make = (id: string, daysAgo: number) => {
      writeFileSync(join(dir, `${id}.wav`), 'RIFF');
      return {
        id,
        callId: `call-${id}`,
        caller: '13800000001',
        dnis: '4008001000',
        offeredAt: new Date(now.getTime() - daysAgo * 86_400_000),
        disposition: 'answered',
        recordingPath: `${id}.wav`,
      };
    };
    await database.db.insert(tables.cdrs).values([make('cdr_old', 31), make('cdr_new', 29)]);
    const result = await store.purge(dir, now);
    expect(result).toEqual({ deleted: 1, before: '2026-10-24T12:00:00.000Z' });
    expect(existsSync(join(dir, 'cdr_old.wav'))).toBe(false);
    expect(existsSync(join(dir, 'cdr_new.wav'))).toBe(true);
    const rows = await database.db.select().from(tables.cdrs);
    expect(rows.find((c) => c.id === 'cdr_old')).toMatchObject({ recordingPath: null });
    expect(rows.find((c) => c.id === 'cdr_old')?.recordingDeletedAt).toEqual(now);
    expect(rows.find((c) => c.id === 'cdr_new')?.recordingPath).toBe('cdr_new.wav');
  });
});

describe('repairStreamedWav', () => {
  it('sets the sizes of a recording cut off mid-write, dropping a partial sample frame', async () => {
    const file = join(dir, 'cut.wav');
    // What the streaming writer leaves after a crash: maximal sizes, 1.5 s of stereo audio + 3 stray bytes.
    const header = wavHeader({
      encoding: 'pcm16',
      channels: 2,
      sampleRate: 8000,
      dataBytes: 0xffffffff - 36,
    });
    const audio = Buffer.alloc(8000 * 4 * 1.5 + 3, 7);
    writeFileSync(file, Buffer.concat([Buffer.from(header), audio]));
    expect(await repairStreamedWav(file)).toBe(1500);
    const fixed = readFileSync(file);
    expect(fixed.length).toBe(44 + 48_000);
    expect(fixed.readUInt32LE(4)).toBe(36 + 48_000);
    expect(fixed.readUInt32LE(40)).toBe(48_000);
    writeFileSync(join(dir, 'not.wav'), 'hello world, not a wave file at all, no header');
    expect(await repairStreamedWav(join(dir, 'not.wav'))).toBeNull();
  });
});
