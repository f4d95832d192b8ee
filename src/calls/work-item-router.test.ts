/**
 * ACD-08 work items on a real (embedded) database and the real engine: per-agent channel
 * capacity, FIFO, decline and timeout back to the queue, and a restart that restores who holds what.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcdEngine } from '../acd/index.ts';
import { CtiHub, type CtiEvent } from '../cti/index.ts';
import { createLogger } from '../shared/index.ts';
import { openDatabase, tables, type Database } from '../store/index.ts';
import { WorkItemRouter } from './work-item-router.ts';

let database: Database;
let now = 1_700_000_000_000;
const clock = { now: () => now };

beforeEach(async () => {
  database = await openDatabase({ url: 'memory://' });
});
afterEach(async () => {
  await database.close();
});

function rig(ringTimeoutSec = 20) {
  const acd = new AcdEngine();
  const cti = new CtiHub();
  const events: CtiEvent[] = [];
  cti.subscribe(null, (e) => events.push(e));
  for (const id of ['a', 'b']) {
    acd.addAgent({ id, extension: id, groups: [{ name: 'chat', level: 1 }], capacity: { chat: 2 } }, now);
    acd.transition(id, 'ready', null, now);
  }
  const offers: { itemId: string; agentId: string }[] = [];
  const distribute = () => {
    for (const offer of acd.distribute(clock.now())) {
      offers.push({ itemId: offer.callId, agentId: offer.agentId });
      router.offered(offer);
    }
  };
  const router: WorkItemRouter = new WorkItemRouter({
    db: database.db,
    acd,
    cti,
    clock,
    logger: createLogger('silent'),
    offerTimeoutSec: () => ringTimeoutSec,
    queueExists: (q) => q === 'chat',
    distribute,
    applied: () => undefined,
  });
  return { acd, router, offers, events, distribute };
}

async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 30));
}

describe('WorkItemRouter', () => {
  it('holds each agent to its chat capacity and serves waiting chats in order as slots free', async () => {
    const { acd, router, offers } = rig();
    const items = [];
    for (let i = 0; i < 5; i++) {
      now += 1000;
      items.push(await router.create({ channel: 'chat', queue: 'chat', subject: `chat ${i}` }, null));
    }
    await settle();
    expect(offers.map((o) => o.itemId)).toEqual(items.slice(0, 4).map((i) => i.id));
    expect(acd.workload('a')?.chat).toBe(2);
    expect(acd.workload('b')?.chat).toBe(2);
    const waiting = await router.list({ status: ['queued'], limit: 10, offset: 0 });
    expect(waiting.items.map((i) => i.id)).toEqual([items[4]!.id]);

    const first = offers[0]!;
    await expect(router.complete(first.agentId, first.itemId)).rejects.toThrow(/accepted/);
    await expect(router.accept(first.agentId === 'a' ? 'b' : 'a', first.itemId)).rejects.toThrow(
      /not offered/,
    );
    const accepted = await router.accept(first.agentId, first.itemId);
    expect(accepted).toMatchObject({ status: 'accepted', agentId: first.agentId });
    const done = await router.complete(first.agentId, first.itemId);
    expect(done.status).toBe('completed');
    await settle();
    expect(offers[4]).toEqual({ itemId: items[4]!.id, agentId: first.agentId });
  });

  it('puts a declined item back in its place for the next agent', async () => {
    const { router, offers, events } = rig(5);
    const item = await router.create({ channel: 'email', queue: 'chat', subject: 'POD please' }, null);
    await settle();
    const firstAgent = offers[0]!.agentId;
    const declined = await router.decline(firstAgent, item.id);
    expect(declined).toMatchObject({ status: 'queued', declines: 1, agentId: null });
    await settle();
    const second = offers[1]!;
    expect(second.itemId).toBe(item.id);
    expect(second.agentId).not.toBe(firstAgent);
    const offeredEvents = events.filter((e) => e.type === 'work.offered');
    expect(offeredEvents.map((e) => (e.data as { agentId: string }).agentId)).toEqual([
      firstAgent,
      second.agentId,
    ]);
  });

  it('moves an offer nobody accepts in time to the next agent', async () => {
    const { router, offers } = rig(0.2);
    const item = await router.create({ channel: 'sms', queue: 'chat', subject: '改约派送' }, null);
    await expect.poll(() => offers.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(offers[1]).toEqual({ itemId: item.id, agentId: offers[0]!.agentId === 'a' ? 'b' : 'a' });
    await expect
      .poll(async () => (await router.list({ limit: 1, offset: 0 })).items[0]?.declines, { timeout: 5000 })
      .toBeGreaterThanOrEqual(1);
    router.shutdown();
  });

  it('restores queued and accepted items after a restart', async () => {
    const before = rig();
    const a = await before.router.create({ channel: 'chat', queue: 'chat', subject: 'one' }, null);
    await settle();
    const holder = before.offers[0]!.agentId;
    await before.router.accept(holder, a.id);
    for (const agent of ['a', 'b']) before.acd.transition(agent, 'not_ready', 'meeting', now);
    const b = await before.router.create({ channel: 'chat', queue: 'chat', subject: 'two' }, null);
    before.router.shutdown();

    const after = rig();
    after.acd.updateAgent(holder, { capacity: { chat: 1 } }, now);
    await after.router.restore();
    expect(after.acd.workload(holder)?.chat).toBe(1);
    after.distribute();
    await settle();
    // The holder's one slot is taken by the restored chat, so the waiting one goes to the other agent.
    expect(after.offers).toEqual([{ itemId: b.id, agentId: holder === 'a' ? 'b' : 'a' }]);
    const rows = await database.db.select().from(tables.workItems);
    expect(rows.find((r) => r.id === a.id)?.status).toBe('accepted');
  });
});
