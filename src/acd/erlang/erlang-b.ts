/**
 * Erlang B (M/M/N/N, blocked calls cleared) and the pieces of it the delay models reuse
 * (ANA-05).
 *
 * Method (a standard fact of teletraffic theory): the recursion
 *   B(0, A) = 1,   B(n, A) = A·B(n−1, A) / (n + A·B(n−1, A))
 * evaluates B(N, A) = (Aᴺ/N!) / Σₖ₌₀ᴺ Aᵏ/k! in O(N) steps with every intermediate value in
 * (0, 1], so it neither overflows nor loses precision for large N (no factorials or powers).
 */

/** Offered load in Erlangs: calls per hour × average handle time in hours. */
export function offeredLoad(callsPerHour: number, ahtSeconds: number): number {
  return (callsPerHour * ahtSeconds) / 3600;
}

/** Blocking probability of N servers offered A Erlangs, N a non-negative integer. */
export function erlangB(servers: number, erlangs: number): number {
  assertServers(servers);
  assertLoad(erlangs);
  let b = 1;
  for (let n = 1; n <= servers; n++) b = (erlangs * b) / (n + erlangs * b);
  return b;
}

/**
 * B(n, A) for n = 0, 1, 2, … one step at a time, so a search over N costs O(N) in total instead
 * of O(N²).
 */
export class ErlangBRecursion {
  private n = 0;
  private b = 1;

  constructor(private readonly erlangs: number) {
    assertLoad(erlangs);
  }

  get servers(): number {
    return this.n;
  }

  get value(): number {
    return this.b;
  }

  /** Advance to n + 1 servers and return B(n + 1, A). */
  next(): number {
    this.n += 1;
    this.b = (this.erlangs * this.b) / (this.n + this.erlangs * this.b);
    return this.b;
  }

  /** Advance until `servers`; it may not go backwards. */
  advanceTo(servers: number): number {
    assertServers(servers);
    if (servers < this.n) throw new RangeError(`cannot go back from ${this.n} to ${servers} servers`);
    while (this.n < servers) this.next();
    return this.b;
  }
}

export function assertServers(servers: number): void {
  if (!Number.isInteger(servers) || servers < 0) throw new RangeError(`servers must be an integer ≥ 0`);
}

export function assertLoad(erlangs: number): void {
  if (!Number.isFinite(erlangs) || erlangs < 0) throw new RangeError(`offered load must be finite and ≥ 0`);
}
