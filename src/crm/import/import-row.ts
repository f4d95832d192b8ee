/**
 * One table row as a customer record, or the reason it cannot be one. Phones may be several in a
 * cell ("138 0000 0001; 021-62345678-801"), in any written form; all must be valid numbers.
 */
import { z } from 'zod';
import { parseContactPhone, type ContactPhone } from '../phones/contact-phone.ts';
import { creditCode as creditCodeSchema } from '../customers/customer.schemas.ts';
import { nameKey } from '../customers/duplicates.ts';
import type { ColumnMap, ImportField } from './headers.ts';

export interface ImportRecord {
  line: number;
  name: string;
  nameKey: string;
  kind: 'company' | 'person';
  contact: string | null;
  title: string | null;
  phones: ContactPhone[];
  emails: string[];
  region: string | null;
  industry: string | null;
  tier: string | null;
  relationshipType: 'customer' | 'distributor' | 'agent' | 'partner' | 'supplier' | null;
  lifecycleStage: 'prospect' | 'responder' | 'customer' | 'churned' | 'won_back' | null;
  creditCode: string | null;
  externalId: string | null;
}

const tiers: Record<string, string> = {
  key: 'key',
  ordinary: 'ordinary',
  small: 'small',
  重点: 'key',
  重要: 'key',
  关键: 'key',
  vip: 'key',
  普通: 'ordinary',
  一般: 'ordinary',
  小: 'small',
  小客户: 'small',
};
const relationships: Record<string, NonNullable<ImportRecord['relationshipType']>> = {
  customer: 'customer',
  distributor: 'distributor',
  agent: 'agent',
  partner: 'partner',
  supplier: 'supplier',
  客户: 'customer',
  经销商: 'distributor',
  代理商: 'agent',
  代理: 'agent',
  合作伙伴: 'partner',
  供应商: 'supplier',
};
const stages: Record<string, NonNullable<ImportRecord['lifecycleStage']>> = {
  prospect: 'prospect',
  responder: 'responder',
  customer: 'customer',
  churned: 'churned',
  won_back: 'won_back',
  潜在: 'prospect',
  潜在客户: 'prospect',
  意向: 'responder',
  意向客户: 'responder',
  成交: 'customer',
  成交客户: 'customer',
  流失: 'churned',
  流失客户: 'churned',
  挽回: 'won_back',
  赢回: 'won_back',
};
const kinds: Record<string, 'company' | 'person'> = {
  company: 'company',
  person: 'person',
  企业: 'company',
  公司: 'company',
  个人: 'person',
};

const email = z.email();
const LIST_SEPARATORS = /[;；,，、|/\n]+/;

export function parseImportRow(
  line: number,
  cells: string[],
  columns: ColumnMap,
): { record: ImportRecord } | { error: string } {
  const get = (f: ImportField) => {
    const i = columns[f];
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const problems: string[] = [];
  const name = get('name');
  if (!name) problems.push('name: required');
  else if (name.length > 200) problems.push('name: longer than 200 characters');
  const phones: ContactPhone[] = [];
  for (const raw of get('phone')
    .split(LIST_SEPARATORS)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const phone = parseContactPhone(raw, true);
    if (phone) phones.push(phone);
    else problems.push(`phone: not a phone number: ${raw}`);
  }
  const emails: string[] = [];
  for (const raw of get('email')
    .split(/[;；,，、\s]+/)
    .filter(Boolean)) {
    if (email.safeParse(raw).success) emails.push(raw);
    else problems.push(`email: not an e-mail address: ${raw}`);
  }
  const lookup = <T>(field: ImportField, table: Record<string, T>): T | null => {
    const raw = get(field);
    if (!raw) return null;
    const value = table[raw.toLowerCase()];
    if (value === undefined) problems.push(`${field}: unknown value "${raw}"`);
    return value ?? null;
  };
  const tier = lookup('tier', tiers);
  const relationshipType = lookup('relationshipType', relationships);
  const lifecycleStage = lookup('lifecycleStage', stages);
  const kind = lookup('kind', kinds) ?? 'company';
  let creditCode: string | null = null;
  if (get('creditCode')) {
    const parsed = creditCodeSchema.safeParse(get('creditCode'));
    if (parsed.success) creditCode = parsed.data;
    else problems.push(`creditCode: not a unified social credit code: ${get('creditCode')}`);
  }
  if (problems.length > 0) return { error: problems.join('; ') };
  const text = (f: ImportField, max: number) => get(f).slice(0, max) || null;
  return {
    record: {
      line,
      name,
      nameKey: nameKey(name),
      kind,
      contact: text('contact', 100),
      title: text('title', 100),
      phones,
      emails: [...new Set(emails)],
      region: text('region', 100),
      industry: text('industry', 100),
      tier,
      relationshipType,
      lifecycleStage,
      creditCode,
      externalId: text('externalId', 100),
    },
  };
}

/** The keys by which two records, or a record and a stored customer, are the same customer. */
export function duplicateKeys(r: ImportRecord): string[] {
  return [
    `n:${r.nameKey}`,
    ...r.phones.map((p) => `p:${p.e164}`),
    ...r.emails.map((e) => `e:${e.toLowerCase()}`),
    ...(r.creditCode ? [`c:${r.creditCode}`] : []),
    ...(r.externalId ? [`x:${r.externalId}`] : []),
  ];
}
