import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerService } from '../../src/crm/index.ts';
import { AppError } from '../../src/shared/index.ts';
import { dbTargets } from '../support/databases.ts';

describe.each(dbTargets())('customers on $name', (target) => {
  let db: Awaited<ReturnType<typeof target.open>>;
  let service: CustomerService;

  beforeAll(async () => {
    db = await target.open();
    service = new CustomerService(db.db);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('creates a customer with contacts and finds it by any written form of a phone', async () => {
    const created = await service.create({
      name: '顺达物流有限公司',
      contacts: [{ name: '王经理', phones: ['138 0000 0001', '010-6552 8888'] }],
    });
    expect(created.id).toMatch(/^cus_/);
    expect(created.contacts[0]?.phones.map((p) => p.e164)).toEqual(['+8613800000001', '+861065528888']);
    for (const form of ['+86 13800000001', '8613800000001', '13800000001', '(010) 65528888']) {
      const found = await service.list({ phone: form, limit: 50, offset: 0 });
      expect(found.map((c) => c.id)).toEqual([created.id]);
    }
  });

  it('reports no match, one match and several matches for a caller', async () => {
    expect((await service.lookupCaller('13999999999')).matches).toHaveLength(0);
    const a = await service.create({ name: '甲公司', contacts: [{ name: '张三', phones: ['13700000002'] }] });
    expect((await service.lookupCaller('+8613700000002')).matches.map((m) => m.id)).toEqual([a.id]);
    const b = await service.create({
      name: '乙公司',
      contacts: [{ name: '李四', phones: ['137-0000-0002'] }],
    });
    const many = await service.lookupCaller('13700000002');
    expect(many.matches.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect(many.matches.every((m) => m.matchedContactId !== null)).toBe(true);
  });

  it('rejects a bad phone with the field named, and saves nothing', async () => {
    const before = await service.list({ q: '丙公司', limit: 50, offset: 0 });
    const err = await service
      .create({ name: '丙公司', contacts: [{ name: '赵五', phones: ['13600000003', 'not-a-number'] }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fields).toEqual([
      { field: 'contacts.0.phones.1', message: expect.stringContaining('not-a-number') },
    ]);
    expect(await service.list({ q: '丙公司', limit: 50, offset: 0 })).toEqual(before);
  });

  it('finds partial numbers given as phone, and refuses fewer than 3 digits', async () => {
    expect((await service.list({ phone: '6552 88', limit: 10, offset: 0 })).map((c) => c.name)).toContain(
      '顺达物流有限公司',
    );
    await expect(service.list({ phone: '1-', limit: 10, offset: 0 })).rejects.toMatchObject({
      fields: [{ field: 'phone' }],
    });
  });

  it('searches by name fragment and by phone digits', async () => {
    expect((await service.list({ q: '顺达', limit: 10, offset: 0 })).map((c) => c.name)).toContain(
      '顺达物流有限公司',
    );
    expect((await service.list({ q: '65528888', limit: 10, offset: 0 })).map((c) => c.name)).toContain(
      '顺达物流有限公司',
    );
  });
});
