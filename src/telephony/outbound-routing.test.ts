import { describe, expect, it } from 'vitest';
import {
  OutboundRouter,
  applyDialFormat,
  type OutboundRouteConfig,
  type RouteDecision,
  type TrunkConfig,
} from './outbound-routing.ts';

function trunk(id: string, extra: Partial<TrunkConfig> = {}): TrunkConfig {
  return {
    id,
    name: id,
    host: `${id}.example`,
    port: 5060,
    transport: 'udp',
    register: false,
    username: null,
    password: null,
    domain: null,
    registerExpires: 3600,
    maxChannels: null,
    enabled: true,
    ...extra,
  };
}

function route(id: string, prefix: string, trunkId: string, extra: Partial<OutboundRouteConfig> = {}) {
  return {
    id,
    name: id,
    prefix,
    trunkId,
    priority: 0,
    callerId: null,
    stripPrefix: null,
    prepend: null,
    maxChannels: null,
    ...extra,
  } satisfies OutboundRouteConfig;
}

function routed(d: RouteDecision) {
  if (d.kind !== 'routed') throw new Error(`expected a route, got ${d.kind}`);
  return d.choice;
}

describe('outbound route selection', () => {
  const trunks = [trunk('ct'), trunk('cu'), trunk('intl')];

  it('picks the longest matching prefix', () => {
    const r = new OutboundRouter();
    r.configure(trunks, [route('all', '+', 'intl'), route('cn', '+86', 'cu'), route('bj', '+8610', 'ct')]);
    expect(routed(r.acquire('+861012345678', '+861012345678', '4008001000')).route.id).toBe('bj');
    expect(routed(r.acquire('+8613800000001', '+8613800000001', '4008001000')).route.id).toBe('cn');
    expect(routed(r.acquire('+12125550100', '+12125550100', '4008001000')).route.id).toBe('all');
  });

  it('breaks prefix ties by the lowest priority', () => {
    const r = new OutboundRouter();
    r.configure(trunks, [
      route('b', '+86', 'cu', { priority: 20 }),
      route('a', '+86', 'ct', { priority: 10 }),
    ]);
    const c = routed(r.acquire('+8613800000001', '+8613800000001', '4008001000'));
    expect(c.route.id).toBe('a');
    expect(c.trunk.id).toBe('ct');
  });

  it('applies the dial format: strip the prefix, then prepend', () => {
    expect(applyDialFormat('+8613800000001', { stripPrefix: '+86', prepend: '0' })).toBe('013800000001');
    expect(applyDialFormat('+8613800000001', { stripPrefix: '+', prepend: '00' })).toBe('008613800000001');
    expect(applyDialFormat('+8613800000001', { stripPrefix: null, prepend: null })).toBe('+8613800000001');
    // A strip prefix the number does not start with leaves it alone.
    expect(applyDialFormat('+12125550100', { stripPrefix: '+86', prepend: '9' })).toBe('9+12125550100');
    const r = new OutboundRouter();
    r.configure(trunks, [route('cn', '+86', 'cu', { stripPrefix: '+86', prepend: '0' })]);
    expect(routed(r.acquire('+8613800000001', '+8613800000001', 'x')).dialled).toBe('013800000001');
  });

  it('keeps the caller ID the call asks for unless the route fixes one', () => {
    const r = new OutboundRouter();
    r.configure(trunks, [
      route('keep', '+86', 'cu'),
      route('fixed', '+1', 'intl', { callerId: '+862088886666' }),
    ]);
    expect(routed(r.acquire('+8613800000001', '+8613800000001', '4008001000')).callerId).toBe('4008001000');
    expect(routed(r.acquire('+12125550100', '+12125550100', '4008001000')).callerId).toBe('+862088886666');
  });

  it('refuses as busy when the route is at its channel limit, and frees the channel on release', () => {
    const r = new OutboundRouter();
    r.configure(trunks, [route('cn', '+86', 'cu', { maxChannels: 1 })]);
    const first = routed(r.acquire('+8613800000001', '+8613800000001', 'x'));
    const second = r.acquire('+8613900000002', '+8613900000002', 'x');
    expect(second).toMatchObject({ kind: 'busy', reason: expect.stringContaining('route cn') });
    expect(r.routeUsage()).toEqual([
      expect.objectContaining({ id: 'cn', channelsInUse: 1, maxChannels: 1, refused: 1 }),
    ]);
    expect(r.trunkUsage('cu')).toMatchObject({ channelsInUse: 1, refused: 0 });
    first.release();
    first.release(); // idempotent
    expect(r.trunkUsage('cu').channelsInUse).toBe(0);
    expect(r.acquire('+8613900000002', '+8613900000002', 'x').kind).toBe('routed');
  });

  it('counts a trunk limit across all routes that use the trunk', () => {
    const r = new OutboundRouter();
    r.configure([trunk('cu', { maxChannels: 2 })], [route('bj', '+8610', 'cu'), route('cn', '+86', 'cu')]);
    routed(r.acquire('+861012345678', '+861012345678', 'x'));
    routed(r.acquire('+8613800000001', '+8613800000001', 'x'));
    const third = r.acquire('+8613800000002', '+8613800000002', 'x');
    expect(third).toMatchObject({ kind: 'busy', reason: expect.stringContaining('trunk cu') });
    expect(r.trunkUsage('cu')).toMatchObject({ channelsInUse: 2, maxChannels: 2, refused: 1 });
  });

  it('falls over to the next matching route when the best one is full', () => {
    const r = new OutboundRouter();
    r.configure(trunks, [
      route('main', '+86', 'ct', { priority: 1, maxChannels: 1 }),
      route('backup', '+86', 'cu', { priority: 2 }),
    ]);
    expect(routed(r.acquire('+8613800000001', '+8613800000001', 'x')).route.id).toBe('main');
    expect(routed(r.acquire('+8613800000002', '+8613800000002', 'x')).route.id).toBe('backup');
    // Nothing was refused: the call found a channel.
    expect(r.routeUsage().every((u) => u.refused === 0)).toBe(true);
  });

  it('skips routes whose trunk is disabled or missing', () => {
    const r = new OutboundRouter();
    r.configure(
      [trunk('ct', { enabled: false }), trunk('cu')],
      [route('bj', '+8610', 'ct'), route('gone', '+8610', 'nope'), route('cn', '+86', 'cu')],
    );
    expect(routed(r.acquire('+861012345678', '+861012345678', 'x')).route.id).toBe('cn');
  });

  it('uses the SIP_TRUNK env trunk only when no stored route matches, sending the number as dialled', () => {
    const r = new OutboundRouter({ host: '10.0.0.5', port: 5060, transport: 'udp' });
    expect(routed(r.acquire('13800000001', '+8613800000001', '4008001000'))).toMatchObject({
      trunk: { id: 'env', host: '10.0.0.5' },
      dialled: '13800000001',
      callerId: '4008001000',
    });
    r.configure(trunks, [route('us', '+1', 'intl', { maxChannels: 1 })]);
    expect(routed(r.acquire('+12125550100', '+12125550100', 'x')).trunk.id).toBe('intl');
    // A matching route that is full refuses; it does not spill over to the env trunk.
    expect(r.acquire('+12125550101', '+12125550101', 'x').kind).toBe('busy');
    expect(routed(r.acquire('+8613800000001', '+8613800000001', 'x')).trunk.id).toBe('env');
    // Numbers without an E.164 form can only go to the env trunk.
    expect(routed(r.acquire('95555', null, 'x')).dialled).toBe('95555');
    expect(r.allTrunks().map((t) => t.id)).toEqual(['ct', 'cu', 'intl', 'env']);
  });

  it('has nowhere to send a call without routes or an env trunk', () => {
    const r = new OutboundRouter();
    expect(r.acquire('+8613800000001', '+8613800000001', 'x').kind).toBe('unroutable');
    r.configure(trunks, [route('us', '+1', 'intl')]);
    expect(r.acquire('+8613800000001', '+8613800000001', 'x').kind).toBe('unroutable');
  });

  it('keeps counting live calls across a reconfiguration', () => {
    const r = new OutboundRouter();
    r.configure(trunks, [route('cn', '+86', 'cu', { maxChannels: 1 })]);
    const live = routed(r.acquire('+8613800000001', '+8613800000001', 'x'));
    r.configure(trunks, [route('cn', '+86', 'cu', { maxChannels: 1, prepend: '0', stripPrefix: '+86' })]);
    expect(r.acquire('+8613800000002', '+8613800000002', 'x').kind).toBe('busy');
    live.release();
    expect(routed(r.acquire('+8613800000002', '+8613800000002', 'x')).dialled).toBe('013800000002');
  });
});
