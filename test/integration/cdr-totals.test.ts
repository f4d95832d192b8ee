/**
 * Service-level accounting from CDRs (ACD-07), on PGlite and PostgreSQL: answered within the
 * group's threshold, abandons versus short abandons, ASA, and calls that never reached a queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdrRepository } from '../../src/calls/index.ts';
import { newId, tables } from '../../src/store/index.ts';
import { dbTargets } from '../support/databases.ts';

describe.each(dbTargets())('queue totals on $name', (target) => {
  let db: Awaited<ReturnType<typeof target.open>>;
  let cdrs: CdrRepository;
  const day = new Date('2026-11-23T00:00:00+08:00');
  const at = (sec: number) => new Date(day.getTime() + 3_600_000 + sec * 1000);

  beforeAll(async () => {
    db = await target.open();
    cdrs = new CdrRepository(db.db);
    await db.db.insert(tables.skillGroups).values({
      id: newId('grp'),
      name: 'vip',
      displayName: 'VIP',
      slSeconds: 10,
      shortAbandonSeconds: 3,
    });
    const call = async (queue: string | null, waitSec: number, answered: boolean, offeredAt = at(0)) => {
      const id = await cdrs.open({
        callId: newId('c'),
        caller: '13800000001',
        callerE164: null,
        dnis: '4008001000',
        offeredAt,
      });
      const queuedAt = queue ? new Date(offeredAt.getTime() + 5000) : null;
      const end = queuedAt ? new Date(queuedAt.getTime() + waitSec * 1000) : null;
      await cdrs.update(id, {
        queue,
        queuedAt,
        answeredAt: answered ? end : null,
        endedAt: end ? new Date(end.getTime() + (answered ? 60_000 : 0)) : at(30),
        disposition: answered ? 'answered' : queue ? 'abandoned' : 'ivr',
      });
    };
    await call('vip', 4, true); // within 10 s
    await call('vip', 12, true); // outside SL
    await call('vip', 2, false); // short abandon (< 3 s)
    await call('vip', 40, false); // abandon
    await call('general', 15, true); // within the default 20 s (no such group row)
    await call(null, 0, false); // IVR only, never queued
    await call('vip', 1, true, new Date(day.getTime() - 3_600_000)); // yesterday
  });
  afterAll(async () => {
    await db.drop();
  });

  it('counts per queue since the start of the day with each group’s thresholds', async () => {
    const totals = await cdrs.queueTotals(day);
    const byQueue = Object.fromEntries(totals.map((t) => [t.queue, t]));
    expect(Object.keys(byQueue).sort()).toEqual(['general', 'vip']);
    expect(byQueue.vip).toMatchObject({
      offered: 4,
      answered: 2,
      abandoned: 1,
      shortAbandoned: 1,
      answeredWithinSl: 1,
    });
    expect(byQueue.vip!.totalAnswerWaitSec).toBeCloseTo(16, 3);
    expect(byQueue.general).toMatchObject({
      offered: 1,
      answered: 1,
      abandoned: 0,
      shortAbandoned: 0,
      answeredWithinSl: 1,
    });
  });
});
