/**
 * Recording management (CC-10): which calls are recorded (per agent, skill group and direction:
 * always, never, a percentage, or on demand by the agent), how long recordings are kept, and the
 * repair of recordings cut off by a crash.
 *
 * Precedence: a rule for the agent, then for the group, then for the direction, then the default.
 * Retention deletes files older than `retentionDays` and records it on the CDR and in the audit
 * trail. A recording interrupted by a crash keeps its streaming header (maximum sizes); at start
 * the sizes are set from the file's length so every player reads it as a valid WAV.
 */
import { open, rm, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { and, eq, isNotNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import { readSetting, tables, writeSetting, type Db } from '../store/index.ts';

const KEY = 'recording_policy';
const mode = z.enum(['always', 'never', 'percentage', 'on_demand']);
export type RecordingMode = z.infer<typeof mode>;

export const recordingPolicyInput = z
  .object({
    defaultMode: mode.default('always'),
    /** For mode "percentage": the share of calls recorded, 0–100. */
    percentage: z.number().min(0).max(100).default(100),
    rules: z
      .array(
        z.object({
          scope: z.enum(['agent', 'group', 'direction']),
          /** Agent id, group name, or "inbound" / "outbound" / "internal". */
          value: z.string().trim().min(1).max(60),
          mode,
          percentage: z.number().min(0).max(100).default(100),
        }),
      )
      .max(500)
      .default([]),
    /** Delete recordings older than this many days; null keeps them for ever. */
    retentionDays: z.number().int().min(1).max(3650).nullable().default(null),
  })
  .refine((p) => new Set(p.rules.map((r) => `${r.scope}:${r.value}`)).size === p.rules.length, {
    message: 'one rule per agent, group or direction',
    path: ['rules'],
  });
export type RecordingPolicy = z.output<typeof recordingPolicyInput>;

export interface RecordingDecision {
  mode: RecordingMode;
  /** Record from the answer on. */
  record: boolean;
}

export class RecordingPolicyStore {
  private policy: RecordingPolicy = recordingPolicyInput.parse({});

  constructor(
    private readonly db: Db,
    private readonly random: () => number = Math.random,
  ) {}

  async load(): Promise<RecordingPolicy> {
    this.policy = recordingPolicyInput.parse((await readSetting(this.db, KEY))?.value ?? {});
    return this.policy;
  }

  get current(): RecordingPolicy {
    return this.policy;
  }

  async save(policy: RecordingPolicy, userId: string): Promise<RecordingPolicy> {
    await writeSetting(this.db, KEY, policy, userId);
    return this.load();
  }

  decide(
    agentId: string | null,
    group: string | null,
    direction: 'inbound' | 'outbound' | 'internal',
  ): RecordingDecision {
    const p = this.policy;
    const rule =
      (agentId && p.rules.find((r) => r.scope === 'agent' && r.value === agentId)) ||
      (group && p.rules.find((r) => r.scope === 'group' && r.value === group)) ||
      p.rules.find((r) => r.scope === 'direction' && r.value === direction);
    const m = rule ? rule.mode : p.defaultMode;
    const pct = rule ? rule.percentage : p.percentage;
    const record = m === 'always' || (m === 'percentage' && this.random() * 100 < pct);
    return { mode: m, record };
  }

  /** Delete recordings answered before `now - retentionDays`; returns how many were deleted. */
  async purge(recordingsDir: string, now: Date): Promise<{ deleted: number; before: string | null }> {
    const days = this.policy.retentionDays;
    if (days === null) return { deleted: 0, before: null };
    const before = new Date(now.getTime() - days * 86_400_000);
    const { cdrs } = tables;
    const rows = await this.db
      .select({ id: cdrs.id, path: cdrs.recordingPath })
      .from(cdrs)
      .where(and(isNotNull(cdrs.recordingPath), lt(cdrs.offeredAt, before)))
      .limit(10_000);
    const root = resolve(recordingsDir);
    let deleted = 0;
    for (const row of rows) {
      const file = resolve(root, row.path ?? '');
      if (file.startsWith(root + sep)) await rm(file, { force: true });
      await this.db
        .update(cdrs)
        .set({ recordingPath: null, recordingDeletedAt: now })
        .where(eq(cdrs.id, row.id));
      deleted++;
    }
    return { deleted, before: before.toISOString() };
  }
}

const HEADER = 44;

/**
 * Give a recording cut off by a crash its real sizes (RIFF and data chunk from the file length,
 * whole sample frames only). Returns the audio duration in ms, or null if the file is not ours.
 */
export async function repairStreamedWav(file: string): Promise<number | null> {
  const size = await stat(file).then(
    (s) => s.size,
    () => -1,
  );
  if (size < HEADER) return null;
  const fh = await open(file, 'r+');
  try {
    const head = Buffer.alloc(HEADER);
    await fh.read(head, 0, HEADER, 0);
    if (head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 36, 40) !== 'data') return null;
    const blockAlign = head.readUInt16LE(32);
    const byteRate = head.readUInt32LE(28);
    if (blockAlign === 0 || byteRate === 0) return null;
    const dataBytes = Math.floor((size - HEADER) / blockAlign) * blockAlign;
    head.writeUInt32LE(36 + dataBytes, 4);
    head.writeUInt32LE(dataBytes, 40);
    await fh.write(head, 0, HEADER, 0);
    await fh.truncate(HEADER + dataBytes);
    return Math.round((dataBytes / byteRate) * 1000);
  } finally {
    await fh.close();
  }
}
