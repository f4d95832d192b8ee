import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService, type CustomerView } from '../../src/crm/index.ts';
import { CustomerImportService } from '../../src/crm/import/index.ts';
import { dbTargets } from '../support/databases.ts';
import {
  bigImportFile,
  mixedPhone,
  storedCustomers,
  type BigFile,
} from '../support/customer-import-files.ts';

describe.each(dbTargets())('customer import on $name', (target) => {
  let db: Awaited<ReturnType<typeof target.open>>;
  let customers: CustomerService;
  let imports: CustomerImportService;
  let file: BigFile;
  const stored: Record<string, CustomerView> = {};

  const liveCount = async () => (await customers.page({ limit: 1 })).total;

  beforeAll(async () => {
    db = await target.open();
    customers = new CustomerService(db.db);
    imports = new CustomerImportService(db.db);
    for (const [key, input] of Object.entries(storedCustomers)) stored[key] = await customers.create(input);
    file = await bigImportFile();
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('imports 10,000 rows: good rows land, bad rows by line, duplicates skipped; undo restores', async () => {
    const before = await Promise.all(Object.values(stored).map((c) => customers.get(c.id)));
    const progress: number[] = [];
    const result = await imports.importFile(file.bytes, {
      fileName: 'customers.xlsx',
      policy: 'skip',
      onProgress: (p) => {
        if (p.phase === 'writing') progress.push(p.done);
      },
    });
    const duplicates = file.inFileDuplicateLines.length + file.storedDuplicateLines.length;
    expect(file.badLines).toHaveLength(20);
    expect(result.errors.map((e) => e.line)).toEqual(file.badLines);
    expect(result.errors.every((e) => /^(name|phone|email): /.test(e.message))).toBe(true);
    expect(result).toMatchObject({
      created: file.dataRows - 20 - duplicates,
      updated: 0,
      skipped: duplicates,
    });
    expect(progress.at(-1)).toBe(result.created);
    expect(await liveCount()).toBe(5 + result.created);

    // Every written form is stored as E.164 with its kind, and found again from another form.
    const ext = (await customers.list({ phone: '021-50000003', limit: 5 }))[0];
    expect(ext?.name).toBe('深圳00003号物流有限公司');
    expect(ext?.contacts[0]?.phones[0]).toMatchObject({
      e164: mixedPhone(3).e164,
      kind: 'landline',
      extension: '801',
    });
    expect((await customers.list({ phone: '4001000004', limit: 5 }))[0]?.contacts[0]?.phones[0]?.kind).toBe(
      '400',
    );
    expect((await customers.list({ phone: '+8613800000010', limit: 5 }))[0]?.name).toBe(
      '上海00010号物流有限公司',
    );
    expect((await customers.list({ q: 'user9@example.cn', limit: 5 })).map((c) => c.name)).toEqual([
      '重庆00009号物流有限公司',
    ]);

    const batch = await imports.batch(result.batchId!);
    expect(batch).toMatchObject({ status: 'completed', created: result.created, errorCount: 20 });

    await imports.undo(result.batchId!);
    expect(await liveCount()).toBe(5);
    const after = await Promise.all(Object.values(stored).map((c) => customers.get(c.id)));
    expect(after).toEqual(before);
    expect((await imports.batch(result.batchId!)).status).toBe('undone');
    await expect(imports.undo(result.batchId!)).rejects.toMatchObject({ code: 'invalid_state' });
  }, 300_000);

  const smallCsv = [
    'name,contact,phone,email,region',
    '乙公司新名,王五,135-0000-0001,wang@example.cn,上海',
    '丙贸易有限公司,赵六,13700000011,,广州',
    '丙贸易,赵六,13700000012,,深圳',
    ',x,13700000013,,',
  ].join('\n');

  it('update merges duplicates into the stored customer and the earlier row; undo brings the old values back', async () => {
    const before = await customers.get(stored.byPhone!.id);
    const result = await imports.importFile(Buffer.from(smallCsv), {
      fileName: 'small.csv',
      policy: 'update',
    });
    expect(result).toMatchObject({ created: 1, updated: 2, skipped: 0 });
    expect(result.errors).toEqual([{ line: 5, message: 'name: required' }]);
    const updated = await customers.get(stored.byPhone!.id);
    expect(updated.name).toBe('既有甲物流有限公司');
    expect(updated.region).toBe('上海');
    expect(updated.contacts.flatMap((c) => c.emails)).toContain('wang@example.cn');
    const [bing] = await customers.list({ q: '丙贸易', limit: 5 });
    expect(bing?.region).toBe('深圳');
    expect(bing?.contacts.flatMap((c) => c.phones.map((p) => p.e164)).sort()).toEqual([
      '+8613700000011',
      '+8613700000012',
    ]);

    await imports.undo(result.batchId!);
    expect(await customers.get(stored.byPhone!.id)).toEqual(before);
    expect(await customers.list({ q: '丙贸易', limit: 5 })).toEqual([]);
  });

  it('create adds duplicates as new customers; skip leaves them alone', async () => {
    const created = await imports.importFile(Buffer.from(smallCsv), {
      fileName: 'small.csv',
      policy: 'create',
    });
    expect(created).toMatchObject({ created: 3, updated: 0, skipped: 0 });
    await imports.undo(created.batchId!);
    const skipped = await imports.importFile(Buffer.from(smallCsv), {
      fileName: 'small.csv',
      policy: 'skip',
    });
    expect(skipped).toMatchObject({ created: 1, updated: 0, skipped: 2 });
    await imports.undo(skipped.batchId!);
    expect(await liveCount()).toBe(5);
  });

  it('upserts by external id, previews a dry run without writing, and names a missing name column', async () => {
    const csv = 'external id,name,region\nERP-42,戊仓储新名,苏州\nERP-43,己物流,无锡\n';
    const dry = await imports.importFile(Buffer.from(csv), {
      fileName: 'erp.csv',
      policy: 'skip',
      dryRun: true,
    });
    expect(dry).toMatchObject({ created: 1, skipped: 1, batchId: null });
    expect(dry.preview?.map((p) => p.action)).toEqual(['skip', 'create']);
    expect(await liveCount()).toBe(5);
    const up = await imports.importFile(Buffer.from(csv), { fileName: 'erp.csv', policy: 'update' });
    expect(up).toMatchObject({ created: 1, updated: 1 });
    expect((await customers.get(stored.byExternal!.id)).region).toBe('苏州');
    await imports.undo(up.batchId!);
    await expect(
      imports.importFile(Buffer.from('公司,电话\nA,13800000000\n'), { fileName: 'x.csv' }),
    ).rejects.toMatchObject({ fields: [{ field: 'file' }] });
    const mapped = await imports.importFile(Buffer.from('公司全称,电话\n庚物流,13800000099\n'), {
      fileName: 'x.csv',
      mapping: { 公司全称: 'name' },
      dryRun: true,
    });
    expect(mapped.created).toBe(1);
  });
});
