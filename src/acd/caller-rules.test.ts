/** Caller-number rules (ACD-05 主叫号码排队) and the sticky agent (CC-13). */
import { describe, expect, it } from 'vitest';
import { compileCallerRules, routeCaller } from './caller-rules.ts';
import { engineWith } from './engine.test-support.ts';

const rules = compileCallerRules({
  basePriority: 0,
  vipLists: [{ name: 'key-shippers', numbers: ['+8613800000001'], priority: 8, group: 'vip' }],
  tiers: [
    { tier: 'key', priority: 5 },
    { tier: 'partner', group: 'partners' },
  ],
  prefixes: [
    { prefix: '+8610', group: 'north' },
    { prefix: '+86139', priority: 1 },
    { prefix: '+86', group: 'domestic' },
  ],
});

describe('caller rules (ACD-05, CC-13)', () => {
  it('routes by the longest matching prefix (area code)', () => {
    expect(routeCaller(rules, { callerE164: '+861088886666', dnisGroup: 'general' })).toEqual({
      group: 'north',
      priority: 0,
      matched: ['prefix:+8610'],
    });
    expect(routeCaller(rules, { callerE164: '+862188886666', dnisGroup: 'general' }).group).toBe('domestic');
    expect(routeCaller(rules, { callerE164: '+14155550100', dnisGroup: 'general' }).group).toBe('general');
  });

  it('lets a VIP number pick its group and raise priority over everything else', () => {
    expect(
      routeCaller(rules, { callerE164: '+8613800000001', tier: 'partner', dnisGroup: 'general' }),
    ).toEqual({
      group: 'vip',
      priority: 8,
      matched: ['vip:key-shippers', 'tier:partner', 'prefix:+86'],
    });
  });

  it('raises priority by customer tier and keeps the prefix group', () => {
    expect(
      routeCaller(rules, { callerE164: '+8613912345678', tier: 'key', dnisGroup: 'general' }),
    ).toMatchObject({
      group: 'domestic',
      priority: 5,
    });
    expect(routeCaller(rules, { callerE164: null, tier: 'partner', dnisGroup: 'general' }).group).toBe(
      'partners',
    );
  });

  it('is available on the engine with rules set at run time', () => {
    const e = engineWith([]);
    expect(e.routeCaller({ callerE164: '+861012345678', dnisGroup: 'general' }).group).toBe('general');
    e.setCallerRules({ prefixes: [{ prefix: '+8610', group: 'north', priority: 2 }] });
    expect(e.routeCaller({ callerE164: '+861012345678', dnisGroup: 'general' })).toMatchObject({
      group: 'north',
      priority: 2,
    });
  });
});

describe('sticky agent (CC-13)', () => {
  const agents = () =>
    engineWith([
      { id: 'idle-longest', readyAt: 0 },
      { id: 'last', readyAt: 50 },
    ]);

  it('offers first to the preferred agent even when another has waited longer', () => {
    const e = agents();
    e.enqueue('c1', 'g', 0, 100, { preferredAgentId: 'last' });
    expect(e.distribute(100).map((o) => o.agentId)).toEqual(['last']);
  });

  it('waits for a busy preferred agent, then falls back to the group after N seconds', () => {
    const e = agents();
    e.transition('last', 'not_ready', 'meeting', 60);
    e.enqueue('c1', 'g', 0, 100, { preferredAgentId: 'last', preferredUntil: 10_100 });
    expect(e.distribute(5000)).toEqual([]);
    expect(e.distribute(10_100).map((o) => o.agentId)).toEqual(['idle-longest']);
  });

  it('uses the engine default window when no deadline is given', () => {
    const e = engineWith(
      [
        { id: 'other', readyAt: 0 },
        { id: 'last', readyAt: 0 },
      ],
      { stickySeconds: 5 },
    );
    e.transition('last', 'not_ready', 'meal', 1);
    e.enqueue('c1', 'g', 0, 100, { preferredAgentId: 'last' });
    expect(e.distribute(5099)).toEqual([]);
    expect(e.distribute(5100).map((o) => o.agentId)).toEqual(['other']);
  });

  it('falls back at once when the preferred agent is logged out', () => {
    const e = agents();
    e.transition('last', 'logged_out', null, 60);
    e.enqueue('c1', 'g', 0, 100, { preferredAgentId: 'last', preferredUntil: 60_000 });
    expect(e.distribute(100).map((o) => o.agentId)).toEqual(['idle-longest']);
  });

  it('does not let a sticky call block the callers behind it', () => {
    const e = agents();
    e.transition('last', 'not_ready', 'meal', 60);
    e.enqueue('c1', 'g', 0, 100, { preferredAgentId: 'last', preferredUntil: 60_000 });
    e.enqueue('c2', 'g', 0, 200);
    expect(e.distribute(300).map((o) => [o.callId, o.agentId])).toEqual([['c2', 'idle-longest']]);
  });
});
