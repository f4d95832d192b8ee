/**
 * What the IVR says for road conditions and branches (IVR-02), in Mandarin and English: every
 * segment with its status word and note, the worst status, the latest update, a branch's phone
 * number digit by digit; a city by name or area code. The repositories are stubbed to isolate the
 * wording (the database side runs in test/integration/logistics-api.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Branch } from './branches.repository.ts';
import { IvrLogistics } from './ivr-logistics.ts';
import type { RoadCondition } from './road-conditions.repository.ts';

const road = (
  segment: string,
  status: RoadCondition['status'],
  note: string,
  updatedAt: string,
): RoadCondition => ({
  id: segment,
  route: '上海—成都',
  origin: '上海',
  destination: '成都',
  segment,
  position: 0,
  status,
  note,
  updatedAt,
  updatedBy: null,
});

const roads = [
  road('上海—武汉', 'normal', '', '2026-11-23T01:00:00.000Z'),
  road('武汉—重庆', 'congested', '事故处理', '2026-11-23T02:30:00.000Z'),
  road('重庆—成都', 'slow', '', '2026-11-23T02:00:00.000Z'),
];
const branch: Branch = {
  id: 'b',
  city: '成都',
  name: '成都高新网点',
  address: '天府大道500号',
  hours: '9:00-18:00',
  phone: '028-85551234',
  active: true,
  updatedAt: '2026-11-23T00:00:00.000Z',
};

const source = new IvrLogistics(
  { toDestination: async (city) => (city === '成都' ? roads : []) },
  { inCity: async (city) => (city === '成都' ? [branch] : []) },
);

describe('IvrLogistics', () => {
  it('speaks every segment to a city with its status, the worst one and the latest update', async () => {
    const v = await source.lookup('road_conditions', '成都');
    expect(v).toEqual({
      'road.destination': '成都',
      'road.summary': '上海至武汉段畅通；武汉至重庆段拥堵，事故处理；重庆至成都段缓行。',
      'road.summaryEn':
        'Shanghai to Wuhan: clear; Wuhan to Chongqing: congested; Chongqing to Chengdu: slow.',
      'road.worst': '拥堵',
      'road.worstEn': 'congested',
      'road.segments': '3',
      'road.updatedAt': '2026-11-23T02:30:00.000Z',
    });
  });

  it('takes an area code for the city, with or without its leading 0', async () => {
    expect((await source.lookup('road_conditions', '028'))?.['road.destination']).toBe('成都');
    expect((await source.lookup('branches', '28'))?.['branch.city']).toBe('成都');
    expect(await source.lookup('road_conditions', '010')).toBeNull();
    expect(await source.lookup('road_conditions', '  ')).toBeNull();
  });

  it('reads a branch with its phone number digit by digit in both languages', async () => {
    const v = await source.lookup('branches', '成都');
    expect(v?.['branch.summary']).toBe(
      '成都高新网点，地址天府大道500号，营业时间9:00-18:00，电话零二八，八五五五，幺二三四。',
    );
    expect(v?.['branch.summaryEn']).toContain(
      'phone zero two eight, eight five five five, one two three four',
    );
    expect(v?.['branch.count']).toBe('1');
    expect(await source.lookup('waybill', '成都')).toBeNull();
  });
});
