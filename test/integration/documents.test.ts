import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../support/pdf-fixture.ts';
import {
  ApiClient,
  startSystemUnderTest,
  systemDatabases,
  type SystemUnderTest,
} from '../support/system-under-test.ts';

interface Version {
  version: number;
  fileName: string;
  mime: string;
  size: number;
  previewable: 'pdf' | 'image' | null;
}
interface Doc {
  id: string;
  customerId: string;
  kind: string;
  title: string;
  currentVersion: number;
  latest: Version;
  versions?: Version[];
}

const hasPdftoppm = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Documents over HTTP with the demo sales department: sales1 and sales2 each own customers. */
describe.each(systemDatabases())('documents on %s', (database) => {
  let sut: SystemUnderTest;
  const api: Record<string, ApiClient> = {};
  let sales1Customer = '';
  let sales2Customer = '';

  const upload = (who: string, path: string, fields: Record<string, string>, name: string, bytes: Buffer) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([bytes]), name);
    return fetch(sut.baseUrl + path, {
      method: 'POST',
      headers: { cookie: api[who]!.cookieHeader },
      body: form,
    });
  };
  const customerId = async (name: string) =>
    (await api.admin!.json<{ id: string }[]>('GET', `/api/customers?q=${encodeURIComponent(name)}`))[0]!.id;

  beforeAll(async () => {
    sut = await startSystemUnderTest({}, database);
    for (const who of ['admin', 'salesmgr', 'sales1', 'sales2']) {
      api[who] = new ApiClient(sut.baseUrl);
      await api[who].login(who);
    }
    sales1Customer = await customerId('华东电子商贸');
    sales2Customer = await customerId('深圳智联');
  }, 120_000);
  afterAll(async () => {
    await sut?.stop();
  });

  it('uploads, versions and downloads within the customer data scope', async () => {
    const pdf = makePdf(2);
    const res = await upload(
      'sales1',
      '/api/documents',
      { customerId: sales1Customer, kind: 'quote', title: '2026 华东线报价' },
      '报价单.pdf',
      pdf,
    );
    expect(res.status).toBe(201);
    const doc = (await res.json()) as Doc;
    expect(doc).toMatchObject({ kind: 'quote', title: '2026 华东线报价', currentVersion: 1 });
    expect(doc.latest).toMatchObject({ fileName: '报价单.pdf', mime: 'application/pdf', previewable: 'pdf' });

    // A second version: any bytes of an accepted type, here a text file.
    const v2 = await upload(
      'sales1',
      `/api/documents/${doc.id}/versions`,
      {},
      'quote-v2.txt',
      Buffer.from('运费 3 元/公斤'),
    );
    expect(v2.status).toBe(201);
    const after = (await v2.json()) as Doc;
    expect(after.currentVersion).toBe(2);
    expect(after.versions!.map((v) => [v.version, v.mime])).toEqual([
      [2, 'text/plain'],
      [1, 'application/pdf'],
    ]);

    const v1 = await api.sales1!.request('GET', `/api/documents/${doc.id}/versions/1/download`);
    expect(v1.status).toBe(200);
    expect(v1.headers.get('content-type')).toBe('application/pdf');
    expect(v1.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('报价单.pdf')}`,
    );
    expect(Buffer.from(await v1.arrayBuffer()).equals(pdf)).toBe(true);
    const current = await api.sales1!.request('GET', `/api/documents/${doc.id}/versions/current/download`);
    expect(await current.text()).toBe('运费 3 元/公斤');

    // sales2 does not reach sales1's customer: not in the list, 404 on every route.
    expect(await api.sales2!.json<Doc[]>('GET', `/api/documents?customerId=${sales1Customer}`)).toEqual([]);
    for (const path of [`/api/documents/${doc.id}`, `/api/documents/${doc.id}/versions/1/download`]) {
      expect((await api.sales2!.request('GET', path)).status).toBe(404);
    }
    expect((await api.sales2!.request('DELETE', `/api/documents/${doc.id}`)).status).toBe(404);
    const foreign = await upload(
      'sales2',
      `/api/documents/${doc.id}/versions`,
      {},
      'x.txt',
      Buffer.from('x'),
    );
    expect(foreign.status).toBe(404);
    const intoOther = await upload(
      'sales2',
      '/api/documents',
      { customerId: sales1Customer, kind: 'contract' },
      'c.txt',
      Buffer.from('c'),
    );
    expect(intoOther.status).toBe(400);
    expect(
      ((await intoOther.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field,
    ).toBe('customerId');
    // The manager of both and the admin do.
    expect((await api.salesmgr!.request('GET', `/api/documents/${doc.id}/versions/1/download`)).status).toBe(
      200,
    );
    const listed = await api.admin!.request(
      'GET',
      `/api/documents?kind=quote&q=${encodeURIComponent('华东线')}`,
    );
    expect(listed.headers.get('x-total-count')).toBe('1');

    // The customer's timeline shows the upload and the new version.
    const timeline = await api.sales1!.json<{ items: { kind: string; refId: string }[] }>(
      'GET',
      `/api/customers/${sales1Customer}/timeline?kind=document`,
    );
    expect(timeline.items.filter((i) => i.refId === doc.id)).toHaveLength(2);
  });

  it('sniffs the type from the bytes: an executable renamed .pdf is refused', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200)]);
    const res = await upload(
      'sales2',
      '/api/documents',
      { customerId: sales2Customer, kind: 'contract' },
      'contract.pdf',
      exe,
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: { field: string }[] } };
    expect(body.error.fields[0]!.field).toBe('file');
    const noKind = await upload(
      'sales2',
      '/api/documents',
      { customerId: sales2Customer },
      'a.pdf',
      makePdf(),
    );
    expect(noKind.status).toBe(400);
    expect(((await noKind.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe(
      'kind',
    );
  });

  it.skipIf(!hasPdftoppm)(
    'previews the first page of a generated PDF as PNG, an image as itself',
    async () => {
      const res = await upload(
        'sales2',
        '/api/documents',
        { customerId: sales2Customer, kind: 'proposal' },
        'plan.pdf',
        makePdf(2),
      );
      const doc = (await res.json()) as Doc;
      const page = await api.sales2!.request('GET', `/api/documents/${doc.id}/versions/1/preview`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('image/png');
      const png = Buffer.from(await page.arrayBuffer());
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(20)).toBe(1200); // height: scaled to 1200 on the long side (page is 400×600)
      const second = await api.sales2!.request('GET', `/api/documents/${doc.id}/versions/1/preview?page=2`);
      expect(Buffer.from(await second.arrayBuffer()).equals(png)).toBe(false);
      expect(
        (await api.sales2!.request('GET', `/api/documents/${doc.id}/versions/1/preview?page=9`)).status,
      ).toBe(400);
      // An image is previewed as it is.
      const img = await upload('sales2', `/api/documents/${doc.id}/versions`, {}, 'scan.png', png);
      expect(((await img.json()) as Doc).latest.mime).toBe('image/png');
      const inline = await api.sales2!.request('GET', `/api/documents/${doc.id}/versions/2/preview`);
      expect(Buffer.from(await inline.arrayBuffer()).equals(png)).toBe(true);
      expect((await api.sales1!.request('GET', `/api/documents/${doc.id}/versions/1/preview`)).status).toBe(
        404,
      );
    },
  );

  it('applies the document scope, configurable apart from the customer scope', async () => {
    const res = await upload(
      'sales2',
      '/api/documents',
      { customerId: sales2Customer, kind: 'other' },
      'n.txt',
      Buffer.from('备注'),
    );
    const doc = (await res.json()) as Doc;
    const scope = (s: string) => ({ role: 'sales', object: 'document', action: 'view', scope: s });
    expect((await api.admin!.request('PUT', '/api/crm/scopes', scope('none'))).status).toBe(200);
    expect((await api.sales2!.request('GET', `/api/documents/${doc.id}`)).status).toBe(404);
    expect((await api.sales2!.request('GET', `/api/customers/${sales2Customer}`)).status).toBe(200);
    expect((await api.admin!.request('PUT', '/api/crm/scopes', scope('own'))).status).toBe(200);
    expect((await api.sales2!.request('GET', `/api/documents/${doc.id}`)).status).toBe(200);
  });

  it('files a document under an opportunity, which names its customer', async () => {
    const opp = await api.sales2!.json<{ id: string }>('POST', '/api/opportunities', {
      customerId: sales2Customer,
      title: '深圳仓配一体化项目',
    });
    const res = await upload(
      'sales2',
      '/api/documents',
      { opportunityId: opp.id, kind: 'proposal' },
      '方案.pdf',
      makePdf(),
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as Doc).customerId).toBe(sales2Customer);
    const listed = await api.sales2!.json<Doc[]>('GET', `/api/documents?opportunityId=${opp.id}`);
    expect(listed.map((d) => d.title)).toEqual(['方案.pdf']);
    const mismatch = await upload(
      'sales1',
      '/api/documents',
      { opportunityId: opp.id, customerId: sales1Customer, kind: 'proposal' },
      'x.pdf',
      makePdf(),
    );
    expect(mismatch.status).toBe(400);
    expect(
      ((await mismatch.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field,
    ).toBe('opportunityId');
  });

  it('describes the document and knowledge routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${sut.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/documents',
        '/api/documents/{id}/versions',
        '/api/documents/{id}/versions/{version}/download',
        '/api/documents/{id}/versions/{version}/preview',
        '/api/knowledge/articles',
        '/api/knowledge/categories',
        '/api/knowledge/suggest',
      ]),
    );
  });

  it('deletes within the delete scope, audited; the document is gone from lists and downloads', async () => {
    const res = await upload(
      'sales2',
      '/api/documents',
      { customerId: sales2Customer, kind: 'requirement' },
      'req.txt',
      Buffer.from('需求'),
    );
    const doc = (await res.json()) as Doc;
    expect((await api.sales2!.request('DELETE', `/api/documents/${doc.id}`)).status).toBe(204);
    expect((await api.sales2!.request('GET', `/api/documents/${doc.id}/versions/1/download`)).status).toBe(
      404,
    );
    const ids = (await api.admin!.json<Doc[]>('GET', `/api/documents?customerId=${sales2Customer}`)).map(
      (d) => d.id,
    );
    expect(ids).not.toContain(doc.id);
    const auditLog = await api.admin!.json<{ items: { action: string; target: string | null }[] }>(
      'GET',
      '/api/audit?action=document.delete',
    );
    expect(auditLog.items.some((a) => a.target === doc.id)).toBe(true);
  });
});
