/** Blacklist matching on a real embedded database: exact before prefix, longest prefix, expiry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../store/index.ts';
import { Blacklist } from './blacklist.ts';

let database: Database;
let now = Date.parse('2026-11-23T10:00:00+08:00');
const clock = { now: () => now };

beforeAll(async () => {
  database = await openDatabase({ url: 'memory://' });
});
afterAll(async () => {
  await database.close();
});

describe('Blacklist', () => {
  it('matches exact numbers before prefixes, the longest prefix first, and forgets expired entries', async () => {
    const list = new Blacklist(database.db, clock);
    await list.load();
    const wide = await list.add({ number: '0592*', reason: 'region', action: 'announce' }, null);
    const narrow = await list.add({ number: '+8659255*', reason: 'range' }, null);
    const one = await list.add(
      { number: '0592-5551234', reason: 'one number', expiresAt: new Date(now + 60_000).toISOString() },
      null,
    );
    expect(list.match('+865925551234', '05925551234')?.id).toBe(one.id);
    expect(list.match(null, '0592 5559999')?.id).toBe(narrow.id);
    expect(list.match('+865921234567', '05921234567')).toMatchObject({ id: wide.id, action: 'announce' });
    expect(list.match('+8613800000001', '13800000001')).toBeNull();
    expect(list.match(null, 'anonymous')).toBeNull();

    now += 120_000; // the single number's entry has expired
    expect(list.match('+865925551234', '05925551234')?.id).toBe(narrow.id);
    const listed = await list.list({ active: false, limit: 10, offset: 0 });
    expect(listed.items.map((e) => e.id)).toEqual([one.id]);
    // An expired entry can be added again; it replaces the old row.
    const again = await list.add({ number: '05925551234', reason: 'back again' }, 'usr_x');
    expect(again.id).toBe(one.id);
    expect(again).toMatchObject({ active: true, expiresAt: null, reason: 'back again', blockedCalls: 0 });
  });
});
