/**
 * RTP port pairs from a configured range: RTP on an even port, RTCP on the next odd one
 * (RFC 3550 §11). Allocation walks round-robin from where it last stopped, so a port just
 * released is not reused at once and late packets of an old call do not reach a new one.
 */
import { MediaError } from './media-errors.ts';

export class PortAllocator {
  private readonly first: number;
  private readonly last: number;
  private readonly inUse = new Set<number>();
  private cursor: number;

  constructor(portMin: number, portMax: number) {
    if (!Number.isInteger(portMin) || !Number.isInteger(portMax) || portMin < 1024 || portMax > 65535) {
      throw new MediaError('invalid_argument', `bad RTP port range ${portMin}-${portMax}`);
    }
    this.first = portMin % 2 === 0 ? portMin : portMin + 1;
    // The last even port whose RTCP partner is still inside the range.
    this.last = portMax % 2 === 1 ? portMax - 1 : portMax - 2;
    if (this.last < this.first)
      throw new MediaError('invalid_argument', `RTP port range ${portMin}-${portMax} too small`);
    this.cursor = this.first;
  }

  get capacity(): number {
    return (this.last - this.first) / 2 + 1;
  }

  get used(): number {
    return this.inUse.size;
  }

  /** Free even ports in round-robin order, each at most once; empty when all are taken. */
  *candidates(): Generator<number> {
    for (let i = 0; i < this.capacity; i++) {
      const port = this.cursor;
      this.cursor = port + 2 > this.last ? this.first : port + 2;
      if (!this.inUse.has(port)) yield port;
    }
  }

  reserve(port: number): void {
    this.inUse.add(port);
  }

  release(port: number): void {
    this.inUse.delete(port);
  }

  exhausted(): MediaError {
    return new MediaError('ports_exhausted', `no free RTP port pair in ${this.first}-${this.last + 1}`);
  }
}
