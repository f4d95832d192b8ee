/**
 * Links between media workers ("shards"). The engine places every endpoint of a call near the
 * others (createEndpoint({ near })), so a bridge, a room or a recording normally involves one
 * worker only. When an operation still meets endpoints of two workers — a leg created without a
 * hint, a supervisor joining from an unrelated phone — the endpoint is *linked* into the other
 * worker instead of failing the call:
 *
 *   origin ⇄ anchor  (bridged, origin's worker)   anchor ⇄ stand-in  (RTP over loopback)
 *
 * The stand-in is an ordinary endpoint in the target worker that carries the origin's audio (and
 * its RFC 4733 events) both ways; the operation then uses the stand-in in the origin's place.
 * A link costs one extra relay hop (two endpoints, a few tens of µs of CPU per packet), so the
 * engine logs each one: a link in normal operation means a dial path is missing its hint.
 *
 * Linking re-bridges the origin to its anchor, which — like any bridge or room join — takes the
 * origin out of whatever bridge or room it was in. Destroying the origin destroys its links.
 */
import type { EndpointInfo, MediaCommand, MediaCommandResults } from './media-protocol.ts';

export interface ShardAccess {
  shardOf(id: string): number;
  request<C extends MediaCommand>(shard: number, command: C): Promise<MediaCommandResults[C['type']]>;
  createEndpointOn(shard: number): Promise<EndpointInfo>;
  /** Destroys an endpoint of the link; never throws. */
  destroyEndpointOn(shard: number, endpointId: string): Promise<void>;
  /** A link was made (for the log). */
  linked(origin: string, from: number, to: number): void;
}

interface Link {
  readonly origin: string;
  readonly home: number;
  readonly shard: number;
  readonly anchor: string;
  readonly standIn: string;
}

/** Points an SDP's connection lines at an address the other worker can reach on this host. */
function onLoopback(sdp: string, address: string): string {
  const family = address.includes(':') ? 'IP6' : 'IP4';
  return sdp.replace(/^c=IN IP[46] [^\r\n]+/gm, `c=IN ${family} ${address}`);
}

export class ShardLinks {
  private readonly byOrigin = new Map<string, Map<number, Link>>();
  /** Anchor and stand-in ids → their link. */
  private readonly internal = new Map<string, Link>();
  private readonly creating = new Map<string, Promise<Link>>();

  constructor(
    private readonly shards: ShardAccess,
    /** Where the workers reach each other: the bind address, or loopback when bound to any. */
    private readonly loopback: string,
  ) {}

  /** Links made since start (each one is logged). */
  made = 0;

  get count(): number {
    return this.internal.size / 2;
  }

  /** True for the engine's own link endpoints, whose events are not the switch's business. */
  isInternal(endpointId: string): boolean {
    return this.internal.has(endpointId);
  }

  /** The origin a stand-in speaks for (events of a stand-in are reported as the origin's). */
  originOf(endpointId: string): string | null {
    const link = this.internal.get(endpointId);
    return link && link.standIn === endpointId ? link.origin : null;
  }

  /** What stands for `id` in `shard` now, without creating anything: itself, or its stand-in there. */
  existing(id: string, shard: number): string {
    if (this.shards.shardOf(id) === shard) return id;
    return this.byOrigin.get(id)?.get(shard)?.standIn ?? id;
  }

  /** True when `id` has a stand-in in `shard`. */
  hasLink(id: string, shard: number): boolean {
    return this.byOrigin.get(id)?.has(shard) ?? false;
  }

  /** What stands for `id` in `shard`, linking it there first when it lives elsewhere. */
  async localize(id: string, shard: number): Promise<string> {
    const home = this.shards.shardOf(id);
    if (home === shard) return id;
    const known = this.byOrigin.get(id)?.get(shard);
    if (known) {
      // It may have been bridged elsewhere since: the operation at hand wants it here again.
      await this.shards.request(home, { type: 'bridge', a: id, b: known.anchor });
      return known.standIn;
    }
    const key = `${id}→${shard}`;
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.create(id, home, shard).finally(() => this.creating.delete(key));
      this.creating.set(key, pending);
    }
    return (await pending).standIn;
  }

  /** Destroys the links of an endpoint that is going away. */
  async drop(origin: string): Promise<void> {
    const links = this.byOrigin.get(origin);
    if (!links) return;
    this.byOrigin.delete(origin);
    await Promise.all(
      [...links.values()].map(async (link) => {
        this.internal.delete(link.anchor);
        this.internal.delete(link.standIn);
        await Promise.all([
          this.shards.destroyEndpointOn(link.home, link.anchor),
          this.shards.destroyEndpointOn(link.shard, link.standIn),
        ]);
      }),
    );
  }

  private async create(origin: string, home: number, shard: number): Promise<Link> {
    const [anchor, standIn] = await Promise.all([
      this.shards.createEndpointOn(home),
      this.shards.createEndpointOn(shard),
    ]);
    const link: Link = { origin, home, shard, anchor: anchor.id, standIn: standIn.id };
    this.internal.set(anchor.id, link);
    this.internal.set(standIn.id, link);
    try {
      const offer = await this.shards.request(home, { type: 'offer', endpointId: anchor.id, options: {} });
      const answer = await this.shards.request(shard, {
        type: 'answer',
        endpointId: standIn.id,
        sdp: onLoopback(offer, this.loopback),
        options: {},
      });
      await this.shards.request(home, {
        type: 'setRemoteAnswer',
        endpointId: anchor.id,
        sdp: onLoopback(answer, this.loopback),
      });
      await this.shards.request(home, { type: 'bridge', a: origin, b: anchor.id });
    } catch (error) {
      this.internal.delete(anchor.id);
      this.internal.delete(standIn.id);
      await this.shards.destroyEndpointOn(home, anchor.id);
      await this.shards.destroyEndpointOn(shard, standIn.id);
      throw error;
    }
    let links = this.byOrigin.get(origin);
    if (!links) {
      links = new Map();
      this.byOrigin.set(origin, links);
    }
    links.set(shard, link);
    this.made++;
    this.shards.linked(origin, home, shard);
    return link;
  }
}
