import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface Article {
  id: string;
  title: string;
  status: string;
  kind: string;
  categoryId: string | null;
  author: string | null;
  score?: number;
}

describe.each(systemDatabases())('knowledge base on %s', (database) => {
  let sut: SystemUnderTest;
  const api: Record<string, ApiClient> = {};
  const ids: Record<string, string> = {};

  const titles = async (who: string, query: string) =>
    (await api[who]!.json<Article[]>('GET', `/api/knowledge/articles?${query}`)).map((a) => a.title);

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
    for (const who of ['admin', 'supervisor', '1001', 'sales1']) {
      api[who] = new ApiClient(sut.baseUrl);
      await api[who].login(who);
    }
    const root = await api.supervisor!.json<{ id: string }>('POST', '/api/knowledge/categories', {
      name: '测试·计费',
    });
    const child = await api.supervisor!.json<{ id: string }>('POST', '/api/knowledge/categories', {
      name: '测试·运价',
      parentId: root.id,
    });
    ids.root = root.id;
    ids.child = child.id;
    const write = async (body: Record<string, unknown>) =>
      (
        await api.supervisor!.json<Article>('POST', '/api/knowledge/articles', {
          status: 'published',
          ...body,
        })
      ).id;
    ids.exact = await write({ title: '运费', body: '按重量和体积计算。', categoryId: child.id });
    ids.body = await write({
      title: '大件物流的计费方式',
      body: '大件货物的运费按体积重量计算，超过三米另收超长费。',
      categoryId: root.id,
    });
    ids.titled = await write({
      title: '运费险理赔流程',
      body: '签收后七天内申请。',
      kind: 'faq',
      categoryId: root.id,
    });
    ids.english = await write({
      title: 'Freight claims for damaged parcels',
      body: 'File within 7 days.',
      tags: ['claims'],
    });
    ids.other = await write({ title: '签收异常处理', body: '拒收、破损的处理办法。' });
    ids.draft = await write({ title: '运费调整草稿', body: '未发布', status: 'draft' });
  }, 120_000);
  afterAll(async () => {
    await sut?.stop();
  });

  // Within this suite's category: the demo knowledge base has articles about 运费 too.
  it('finds 运费 in titles and bodies, ranks the exact title first', async () => {
    const found = await api['1001']!.json<Article[]>(
      'GET',
      `/api/knowledge/articles?q=${encodeURIComponent('运费')}&categoryId=${ids.root}`,
    );
    expect(found.map((a) => a.title)).toEqual(['运费', '运费险理赔流程', '大件物流的计费方式']);
    expect(found[0]!.score!).toBeGreaterThan(found[1]!.score!);
    expect(found.map((a) => a.id)).not.toContain(ids.other); // no 运费 in it, though it shares 费/运
    // A phrase found only in a body; English words, any case.
    expect(await titles('1001', `q=${encodeURIComponent('超长费')}`)).toEqual(['大件物流的计费方式']);
    // Across the whole base the exact title still comes first.
    expect((await titles('1001', `q=${encodeURIComponent('运费')}`))[0]).toBe('运费');
    expect(await titles('sales1', 'q=FREIGHT')).toEqual(['Freight claims for damaged parcels']);
    expect(await titles('sales1', 'q=tracking')).toEqual(['How to track a shipment']); // demo data
    expect(await titles('sales1', 'q=claims')).toEqual(['Freight claims for damaged parcels']);
  });

  it('filters by category subtree, kind and tag; counts in X-Total-Count', async () => {
    expect((await titles('1001', `categoryId=${ids.root}&sort=title`)).sort()).toEqual(
      ['运费', '大件物流的计费方式', '运费险理赔流程'].sort(),
    );
    expect(await titles('1001', `categoryId=${ids.child}`)).toEqual(['运费']);
    expect(await titles('1001', 'kind=faq')).toContain('运费险理赔流程');
    expect(await titles('1001', 'tag=claims')).toEqual(['Freight claims for damaged parcels']);
    const res = await api['1001']!.request(
      'GET',
      `/api/knowledge/articles?q=${encodeURIComponent('运费')}&categoryId=${ids.root}&limit=1`,
    );
    expect(res.headers.get('x-total-count')).toBe('3');
  });

  it('readers see published articles only; supervisors and admins edit', async () => {
    expect(await titles('1001', `q=${encodeURIComponent('运费调整')}`)).toEqual([]);
    expect(await titles('1001', 'status=draft')).not.toContain('运费调整草稿');
    expect((await api['1001']!.request('GET', `/api/knowledge/articles/${ids.draft}`)).status).toBe(404);
    expect(await titles('supervisor', `q=${encodeURIComponent('运费调整')}`)).toEqual(['运费调整草稿']);
    for (const who of ['1001', 'sales1']) {
      expect((await api[who]!.request('POST', '/api/knowledge/articles', { title: 'x' })).status).toBe(403);
      expect(
        (await api[who]!.request('PATCH', `/api/knowledge/articles/${ids.other}`, { title: 'x' })).status,
      ).toBe(403);
      expect((await api[who]!.request('POST', '/api/knowledge/categories', { name: 'x' })).status).toBe(403);
    }
    const published = await api.admin!.json<Article>('PATCH', `/api/knowledge/articles/${ids.draft}`, {
      status: 'published',
      title: '运费调整通知',
    });
    expect(published.author).toBe('admin');
    expect(await titles('1001', `q=${encodeURIComponent('调整通知')}`)).toEqual(['运费调整通知']);
    const bad = await api.supervisor!.request('POST', '/api/knowledge/articles', { title: '' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('title');
  });

  it('keeps the category tree acyclic; deletes are audited', async () => {
    const cycle = await api.supervisor!.request('PATCH', `/api/knowledge/categories/${ids.root}`, {
      parentId: ids.child,
    });
    expect(cycle.status).toBe(400);
    expect(JSON.stringify(await cycle.json())).toContain('parentId');
    expect((await api.admin!.request('DELETE', `/api/knowledge/articles/${ids.english}`)).status).toBe(204);
    const log = await api.admin!.json<{ items: { target: string | null }[] }>(
      'GET',
      '/api/audit?action=knowledge.article.delete',
    );
    expect(log.items.map((e) => e.target)).toContain(ids.english);
  });

  it('suggests articles for a call context, the newest when nothing matches', async () => {
    const hits = await api['1001']!.json<Article[]>(
      'GET',
      `/api/knowledge/suggest?context=${encodeURIComponent('IVR 菜单: 签收异常')}`,
    );
    expect(hits[0]!.title).toBe('签收异常处理');
    const fallback = await api['1001']!.json<Article[]>('GET', '/api/knowledge/suggest?context=zzzz&limit=2');
    expect(fallback).toHaveLength(2);
    expect(fallback.every((a) => a.status === 'published')).toBe(true);
  });

  it("suggests by the customer's latest timeline entries, within the caller's data scope", async () => {
    const customer = (
      await api.admin!.json<{ id: string }[]>('GET', `/api/customers?q=${encodeURIComponent('深圳智联')}`)
    )[0]!.id;
    const form = new FormData();
    form.append('customerId', customer);
    form.append('kind', 'other');
    form.append('title', '破损理赔照片');
    form.append('file', new Blob([Buffer.from('照片说明')]), 'photos.txt');
    const up = await fetch(`${sut.baseUrl}/api/documents`, {
      method: 'POST',
      headers: { cookie: api.admin!.cookieHeader },
      body: form,
    });
    expect(up.status).toBe(201);
    const hits = await api['1001']!.json<Article[]>('GET', `/api/knowledge/suggest?customerId=${customer}`);
    expect(hits[0]!.title).toContain('理赔');
    // sales1 does not own 深圳智联: the customer is not found for him.
    expect((await api.sales1!.request('GET', `/api/knowledge/suggest?customerId=${customer}`)).status).toBe(
      404,
    );
  });
});
