/**
 * The addresses trunk traffic arrives from, for the SIP edge's rate-limit exemption: a trunk
 * configured by host name is exempt at the addresses the name resolves to (the carrier's SBCs),
 * refreshed periodically because carriers move them.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type HostLookup = (host: string) => Promise<string[]>;

const systemLookup: HostLookup = async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address);

/** The hosts as configured plus every address their names resolve to; names that fail are kept as names. */
export async function trunkPeerAddresses(
  hosts: readonly string[],
  lookup: HostLookup = systemLookup,
): Promise<string[]> {
  const out = new Set(hosts);
  const names = [...new Set(hosts.filter((h) => isIP(h) === 0))];
  const resolved = await Promise.all(names.map((h) => lookup(h).catch((): string[] => [])));
  for (const list of resolved) for (const address of list) out.add(address);
  return [...out];
}

/** Keeps a set of trunk peers up to date: at once with the literal hosts, then with resolved names. */
export class TrunkPeers {
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;
  private hosts: readonly string[] = [];

  constructor(
    private readonly apply: (addresses: readonly string[]) => void,
    private readonly lookup: HostLookup = systemLookup,
    private readonly refreshMs = 300_000,
  ) {}

  /** New trunk hosts: applied now as written, and again once their names are resolved. */
  set(hosts: readonly string[]): Promise<void> {
    this.hosts = hosts;
    this.apply(hosts);
    if (!this.timer && this.refreshMs > 0) {
      this.timer = setInterval(() => void this.resolve(), this.refreshMs);
      this.timer.unref();
    }
    return this.resolve();
  }

  private async resolve(): Promise<void> {
    const generation = ++this.generation;
    const hosts = this.hosts;
    if (hosts.every((h) => isIP(h) !== 0)) return;
    const addresses = await trunkPeerAddresses(hosts, this.lookup);
    // A later set() or refresh won the race: its answer is the current one.
    if (generation === this.generation) this.apply(addresses);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
