import { describe, expect, it } from 'vitest';
import { positionAnnouncement } from './queue-announcer.ts';

describe('positionAnnouncement', () => {
  it('tells the first caller they are next', () => {
    expect(positionAnnouncement({ position: 1, ewtSec: null })).toBe('您是下一位。');
  });
  it('counts the callers ahead and rounds the wait to whole minutes, at least one', () => {
    expect(positionAnnouncement({ position: 4, ewtSec: 150 })).toBe(
      '您前面还有3位客户在等待。预计等待时间约3分钟。',
    );
    expect(positionAnnouncement({ position: 2, ewtSec: 10 })).toBe(
      '您前面还有1位客户在等待。预计等待时间约1分钟。',
    );
  });
  it('says nothing for a call no longer queued', () => {
    expect(positionAnnouncement({ position: null, ewtSec: 30 })).toBeNull();
  });
});
