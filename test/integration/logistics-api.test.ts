/**
 * Road conditions and branches (IVR-02) on the running system: every signed-in user reads them,
 * supervisors and admins write them (audited), bad data is refused naming the field, a CSV or
 * .xlsx sheet imports its good lines and reports the bad ones by line number; and the flow
 * editor's test call of the demo hotline reads these and the shipments through the same data
 * sources as a call (issue #5).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WAYBILLS } from '../../src/cli/demo-shipments.ts';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface Road {
  id: string;
  route: string;
  destination: string;
  segment: string;
  status: string;
  note: string;
  updatedBy: string | null;
}
interface Branch {
  id: string;
  city: string;
  name: string;
  phone: string;
}
interface Page<T> {
  items: T[];
  total: number;
}
interface TestCall {
  steps: { node: string; branch?: string; input?: string; prompts: { tts?: string }[] }[];
  outcome: { type: string; node: string };
  variables: Record<string, string>;
}
interface ApiError {
  error: { code: string; fields: { field: string; message: string }[] };
}

const HOTLINE = '4008001000';

describe.each(systemDatabases())('road conditions and branches on %s', (database) => {
  let sut: SystemUnderTest;
  let sup: ApiClient;
  let agent: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
    sup = new ApiClient(sut.baseUrl);
    await sup.login('supervisor');
    agent = new ApiClient(sut.baseUrl);
    await agent.login('1001');
    admin = new ApiClient(sut.baseUrl);
    await admin.login('admin');
  }, 60_000);
  afterAll(async () => {
    await sut?.stop();
  });

  it('lets any signed-in user read the demo data, searched and paged', async () => {
    const all = await agent.json<Page<Road>>('GET', '/api/road-conditions?limit=2');
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(10);
    const toChengdu = await agent.json<Page<Road>>(
      'GET',
      `/api/road-conditions?q=${encodeURIComponent('重庆')}`,
    );
    expect(toChengdu.items.map((r) => r.segment).sort()).toEqual(['武汉—重庆', '重庆—成都']);
    const branches = await agent.json<Page<Branch>>(
      'GET',
      `/api/branches?city=${encodeURIComponent('上海')}`,
    );
    expect(branches.total).toBe(2);
    expect((await new ApiClient(sut.baseUrl).request('GET', '/api/branches')).status).toBe(401);
  });

  it('lets supervisors write, audited; agents may not; bad data is refused naming the field', async () => {
    const segment = {
      origin: '上海',
      destination: '西安',
      segment: '郑州—西安',
      status: 'slow',
      note: '车多',
    };
    expect((await agent.request('POST', '/api/road-conditions', segment)).status).toBe(403);
    const created = await sup.json<Road>('POST', '/api/road-conditions', segment);
    expect(created).toMatchObject({ route: '上海—西安', status: 'slow', updatedBy: expect.any(String) });
    const updated = await sup.json<Road>('PUT', `/api/road-conditions/${created.id}`, {
      ...segment,
      status: 'closed',
      note: '暴雪封路',
    });
    expect(updated).toMatchObject({ status: 'closed', note: '暴雪封路' });
    expect((await sup.request('POST', '/api/road-conditions', segment)).status).toBe(409);

    const bad = await sup.request('POST', '/api/road-conditions', { ...segment, status: 'jammed' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiError).error.fields.map((f) => f.field)).toEqual(['body.status']);
    const badPhone = await sup.request('POST', '/api/branches', {
      city: '西安',
      name: '西安网点',
      address: '雁塔区',
      hours: '9:00-18:00',
      phone: 'call us',
    });
    expect(((await badPhone.json()) as ApiError).error.fields.map((f) => f.field)).toEqual(['body.phone']);

    const branch = await admin.json<Branch>('POST', '/api/branches', {
      city: '西安',
      name: '西安雁塔网点',
      address: '雁塔区科技路1号',
      hours: '周一至周五 9:00-18:00',
      phone: '029-88881234',
    });
    expect((await agent.request('DELETE', `/api/branches/${branch.id}`)).status).toBe(403);
    expect((await admin.request('DELETE', `/api/branches/${branch.id}`)).status).toBe(204);
    expect((await sup.request('DELETE', `/api/road-conditions/${created.id}`)).status).toBe(204);
    expect((await sup.request('DELETE', `/api/road-conditions/${created.id}`)).status).toBe(404);

    const audit = await admin.json<Page<{ action: string; target: string }>>('GET', '/api/audit?limit=50');
    const actions = audit.items.map((a) => `${a.action} ${a.target}`);
    for (const a of [
      `road_condition.create ${created.id}`,
      `road_condition.update ${created.id}`,
      `road_condition.delete ${created.id}`,
      `branch.create ${branch.id}`,
      `branch.delete ${branch.id}`,
    ])
      expect(actions).toContain(a);
  });

  it('imports a CSV: good lines land, bad ones are reported by line (header = line 1)', async () => {
    const csv = [
      '线路,起点,终点,路段,顺序,状态,备注',
      '上海—南昌,上海,南昌,上海—杭州,0,畅通,',
      '上海—南昌,上海,南昌,杭州—南昌,1,flooded,暴雨',
      ',上海,,南昌—赣州,2,slow,',
      '上海—南昌,上海,南昌,杭州—南昌,1,weather,暴雨',
      '',
      '上海—成都,上海,成都,武汉—重庆,1,closed,隧道封闭',
    ].join('\n');
    const result = await sup.json<{ created: number; updated: number; errors: unknown[] }>(
      'POST',
      '/api/road-conditions/import',
      { fileName: 'roads.csv', content: Buffer.from(csv).toString('base64') },
    );
    expect(result.errors).toEqual([
      { line: 3, field: 'status', message: expect.stringContaining('normal') },
      { line: 4, field: 'destination', message: 'is required' },
    ]);
    expect(result).toMatchObject({ created: 2, updated: 1 });
    const nanchang = await sup.json<Page<Road>>(
      'GET',
      `/api/road-conditions?destination=${encodeURIComponent('南昌')}`,
    );
    expect(nanchang.items.map((r) => [r.segment, r.status])).toEqual([
      ['上海—杭州', 'normal'],
      ['杭州—南昌', 'weather'],
    ]);

    const missing = await sup.request('POST', '/api/road-conditions/import', {
      fileName: 'roads.csv',
      content: Buffer.from('route,segment\nx,y').toString('base64'),
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ApiError).error.fields[0]?.field).toBe('content');
    expect(
      (await agent.request('POST', '/api/road-conditions/import', { fileName: 'a.csv', content: 'eA==' }))
        .status,
    ).toBe(403);
  });

  it('imports an .xlsx sheet with English headers, reporting bad rows by their sheet line', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('roads');
    sheet.addRow(['origin', 'destination', 'segment', 'position', 'status', 'note']);
    sheet.addRow(['上海', '长沙', '上海—南昌', 0, 'normal', '']);
    sheet.addRow(['上海', '长沙', '南昌—长沙', 'second', 'slow', '']);
    sheet.addRow(['上海', '长沙', '南昌—长沙', 1, 'congested', '车祸']);
    const data = Buffer.from(await book.xlsx.writeBuffer());
    const result = await sup.json<{
      created: number;
      updated: number;
      errors: { line: number; field: string }[];
    }>('POST', '/api/road-conditions/import', { fileName: 'roads.xlsx', content: data.toString('base64') });
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([[3, 'position']]);
    expect(result).toMatchObject({ created: 2, updated: 0 });
  });

  describe('test call of the demo hotline with the real data sources', () => {
    let hotline: string;
    const testCall = (digits: string, caller = '13800000099') =>
      sup.json<TestCall>('POST', '/api/ivr/flows/test', { id: hotline, digits, caller });

    beforeAll(async () => {
      const flows = await admin.json<{ id: string; serviceNumbers: string[] }[]>('GET', '/api/ivr/flows');
      hotline = flows.find((f) => f.serviceNumbers.includes(HOTLINE))!.id;
    });

    it('reads a real waybill', async () => {
      const call = await testCall(`1${DEMO_WAYBILLS.inTransit}#`);
      expect(call.steps.map((s) => [s.node, s.branch ?? s.input ?? null])).toEqual([
        ['welcome', '1'],
        ['track', 'notFound'],
        ['ask_waybill', `${DEMO_WAYBILLS.inTransit}#`],
        ['find', 'found'],
        ['status', null],
        ['more', null],
      ]);
      expect(call.variables['shipment.waybill']).toBe(DEMO_WAYBILLS.inTransit);
    });

    it('identifies the demo customer by the caller number', async () => {
      const call = await testCall('1', '13800000001');
      expect(call.steps.slice(1, 3).map((s) => [s.node, s.branch ?? null])).toEqual([
        ['track', 'found'],
        ['mine', null],
      ]);
    });

    it('reads the road conditions to 成都, picked by menu digit or typed as an area code', async () => {
      const byMenu = await testCall('21');
      expect(byMenu.steps.map((s) => [s.node, s.branch ?? s.input ?? null])).toEqual([
        ['welcome', '2'],
        ['road_menu', '1'],
        ['road_cd', null],
        ['road_find', 'found'],
        ['road_status', null],
        ['road_more', null],
      ]);
      const spoken = byMenu.steps[4]!.prompts[0]!.tts!;
      // The import above closed 武汉—重庆 on the 上海—成都 route; the other segments are clear.
      expect(spoken).toContain('上海至成都路况');
      expect(spoken).toContain('武汉至重庆段封闭，隧道封闭');
      expect(spoken).toContain('重庆至成都段畅通');
      expect(spoken).toContain('更新于');

      const byCode = await testCall('29028#');
      expect(byCode.steps.map((s) => [s.node, s.branch ?? s.input ?? null]).slice(1, 4)).toEqual([
        ['road_menu', '9'],
        ['road_code', '028#'],
        ['road_find', 'found'],
      ]);
      expect(byCode.variables['road.destination']).toBe('成都');

      const none = await testCall('29099#');
      expect(none.steps.find((s) => s.node === 'road_find')?.branch).toBe('notFound');
      expect(none.steps.find((s) => s.node === 'road_none')?.prompts[0]?.tts).toContain(
        '暂无到099的路况信息',
      );
    });

    it('reads a city’s branches with the phone number digit by digit', async () => {
      const call = await testCall('34');
      expect(call.steps.map((s) => [s.node, s.branch ?? s.input ?? null])).toEqual([
        ['welcome', '3'],
        ['branch_menu', '4'],
        ['branch_cd', null],
        ['branch_find', 'found'],
        ['branch_info', null],
        ['branch_more', null],
      ]);
      const spoken = call.steps[4]!.prompts[0]!.tts!;
      expect(spoken).toContain('成都共有1个网点');
      expect(spoken).toContain('成都高新网点，地址高新区天府大道中段500号，营业时间周一至周六 9:00-18:00');
      expect(spoken).toContain('电话零二八，八五五五，幺二三四');
    });
  });
});
