import { describe, expect, it } from 'vitest';
import { MediaError } from './media-errors.ts';
import { PortAllocator } from './port-allocator.ts';

describe('PortAllocator (RTP even, RTCP odd — RFC 3550 §11)', () => {
  it('yields even ports whose RTCP partner is in range, round-robin', () => {
    const a = new PortAllocator(20001, 20008);
    expect([...a.candidates()]).toEqual([20002, 20004, 20006]);
    expect(a.capacity).toBe(3);
  });

  it('skips reserved ports and resumes after the last one handed out', () => {
    const a = new PortAllocator(20000, 20007);
    const [first] = a.candidates();
    a.reserve(first ?? 0);
    const next = a.candidates().next().value;
    expect(next).toBe(20002);
    a.release(20000);
    expect([...a.candidates()]).toEqual([20004, 20006, 20000, 20002]);
  });

  it('has nothing to offer when all pairs are reserved', () => {
    const a = new PortAllocator(20000, 20003);
    a.reserve(20000);
    a.reserve(20002);
    expect([...a.candidates()]).toEqual([]);
    expect(a.exhausted()).toBeInstanceOf(MediaError);
  });

  it('rejects impossible ranges', () => {
    expect(() => new PortAllocator(20000, 20000)).toThrow(MediaError);
    expect(() => new PortAllocator(80, 90)).toThrow(MediaError);
  });
});
