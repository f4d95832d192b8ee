import { describe, expect, it } from 'vitest';
import { TrunkPeers, trunkPeerAddresses } from './trunk-peers.ts';

describe('trunk peer addresses', () => {
  it('adds the addresses a trunk host name resolves to and keeps literal addresses', async () => {
    const lookup = (host: string) =>
      host === 'sbc.carrier.example'
        ? Promise.resolve(['203.0.113.7', '203.0.113.8'])
        : Promise.reject(new Error('NXDOMAIN'));
    expect(await trunkPeerAddresses(['198.51.100.1', 'sbc.carrier.example', 'gone.example'], lookup)).toEqual(
      ['198.51.100.1', 'sbc.carrier.example', 'gone.example', '203.0.113.7', '203.0.113.8'],
    );
  });

  it('applies the configured hosts at once and the resolved ones when the answer comes', async () => {
    const applied: (readonly string[])[] = [];
    const peers = new TrunkPeers(
      (a) => applied.push(a),
      () => Promise.resolve(['192.0.2.44']),
      0,
    );
    await peers.set(['gw.example', '198.51.100.9']);
    expect(applied).toEqual([
      ['gw.example', '198.51.100.9'],
      ['gw.example', '198.51.100.9', '192.0.2.44'],
    ]);
    peers.stop();
  });

  it('lets the newest configuration win when an older lookup answers late', async () => {
    const applied: (readonly string[])[] = [];
    let release: (a: string[]) => void = () => undefined;
    const slow = new Promise<string[]>((r) => (release = r));
    const lookup = (host: string) => (host === 'old.example' ? slow : Promise.resolve(['192.0.2.2']));
    const peers = new TrunkPeers((a) => applied.push(a), lookup, 0);
    const first = peers.set(['old.example']);
    await peers.set(['new.example']);
    release(['192.0.2.1']);
    await first;
    expect(applied.at(-1)).toEqual(['new.example', '192.0.2.2']);
    peers.stop();
  });
});
