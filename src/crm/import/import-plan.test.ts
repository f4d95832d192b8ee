import { describe, expect, it } from 'vitest';
import { parseContactPhone } from '../phones/contact-phone.ts';
import { nameKey } from '../customers/duplicates.ts';
import { planImport, type Existing } from './import-plan.ts';
import type { ImportRecord } from './import-row.ts';

const record = (
  line: number,
  name: string,
  phone?: string,
  extra: Partial<ImportRecord> = {},
): ImportRecord => ({
  line,
  name,
  nameKey: nameKey(name),
  kind: 'company',
  contact: '联系人',
  title: null,
  phones: phone ? [parseContactPhone(phone, true)!] : [],
  emails: [],
  region: null,
  industry: null,
  tier: null,
  relationshipType: null,
  lifecycleStage: null,
  creditCode: null,
  externalId: null,
  ...extra,
});

const none: Existing = { byKey: new Map(), byExternalId: new Map(), editable: new Set() };
const stored: Existing = {
  byKey: new Map([['p:+8613800000001', 'cus_a']]),
  byExternalId: new Map([['ERP-1', 'cus_b']]),
  editable: new Set(['cus_a', 'cus_b']),
};

describe('planImport', () => {
  const rows = [
    record(2, '甲物流有限公司', '138 0000 0001'),
    record(3, '乙物流', '13900000002'),
    record(4, '乙物流有限公司', '13900000003', { region: '上海' }),
  ];

  it('skip: a stored duplicate and a repeat of an earlier row are both skipped', () => {
    const plan = planImport(rows, stored, 'skip');
    expect([plan.creates.length, plan.updated, plan.skipped]).toEqual([1, 0, 2]);
  });

  it('update: merges into the stored customer and into the earlier row', () => {
    const plan = planImport(rows, stored, 'update');
    expect([plan.creates.length, plan.updated, plan.skipped]).toEqual([1, 2, 0]);
    expect(plan.updates.get('cus_a')?.line).toBe(2);
    const yi = plan.creates[0]!;
    expect(yi.fields.region).toBe('上海');
    expect(yi.contacts[0]?.phones.map((p) => p.e164)).toEqual(['+8613900000002', '+8613900000003']);
  });

  it('create: every row becomes a customer', () => {
    const plan = planImport(rows, stored, 'create');
    expect([plan.creates.length, plan.updated, plan.skipped]).toEqual([3, 0, 0]);
  });

  it('a stored external id is updated, unless the policy is skip; one the user may not edit is an error', () => {
    const row = [record(2, '丙', undefined, { externalId: 'ERP-1' })];
    expect(planImport(row, stored, 'create').updates.has('cus_b')).toBe(true);
    expect(planImport(row, stored, 'skip').skipped).toBe(1);
    const locked = planImport(row, { ...stored, editable: new Set() }, 'update');
    expect(locked.errors).toEqual([{ line: 2, message: expect.stringContaining('may not edit') }]);
  });

  it('rows repeating an external id of the same file merge even under create', () => {
    const plan = planImport(
      [record(2, '丁', undefined, { externalId: 'X-1' }), record(3, '戊', undefined, { externalId: 'X-1' })],
      none,
      'create',
    );
    expect([plan.creates.length, plan.updated]).toEqual([1, 1]);
  });
});
