/**
 * Decides what each valid row does (pure; no database): create a customer, update one, or skip.
 * A row is a duplicate of an earlier row of the same file or of a stored customer when they share
 * a name key, phone, e-mail or credit code; an external ID that is already stored is an upsert.
 * `skip` leaves duplicates alone, `update` merges them into the customer they duplicate, `create`
 * adds them as new customers.
 */
import type { NewContact } from '../customers/customer-writer.ts';
import { duplicateKeys, type ImportRecord } from './import-row.ts';

export type DuplicatePolicy = 'skip' | 'update' | 'create';

export interface CustomerFields {
  region?: string;
  industry?: string;
  tier?: string;
  relationshipType?: NonNullable<ImportRecord['relationshipType']>;
  lifecycleStage?: NonNullable<ImportRecord['lifecycleStage']>;
  creditCode?: string;
  externalId?: string;
}

/** What the import does to one customer, gathered from every row that lands on it. */
export interface Change {
  line: number;
  record: ImportRecord;
  fields: CustomerFields;
  contacts: NewContact[];
}

export interface PlannedCreate extends Change {
  action: 'create';
}
export interface PlannedUpdate extends Change {
  action: 'update';
  customerId: string;
}

export interface Existing {
  /** duplicate key (see duplicateKeys) → stored customer id */
  byKey: Map<string, string>;
  byExternalId: Map<string, string>;
  /** Stored customers the importing user may edit. */
  editable: Set<string>;
}

export interface Plan {
  creates: PlannedCreate[];
  updates: Map<string, PlannedUpdate>;
  updated: number;
  skipped: number;
  errors: { line: number; message: string }[];
  /** Per line, what happens (for the dry-run preview). */
  outcomes: { line: number; action: 'create' | 'update' | 'skip'; name: string; duplicateOf?: string }[];
}

function fieldsOf(r: ImportRecord): CustomerFields {
  const f: CustomerFields = {};
  if (r.region) f.region = r.region;
  if (r.industry) f.industry = r.industry;
  if (r.tier) f.tier = r.tier;
  if (r.relationshipType) f.relationshipType = r.relationshipType;
  if (r.lifecycleStage) f.lifecycleStage = r.lifecycleStage;
  if (r.creditCode) f.creditCode = r.creditCode;
  if (r.externalId) f.externalId = r.externalId;
  return f;
}

function contactOf(r: ImportRecord): NewContact[] {
  if (!r.contact && r.phones.length === 0 && r.emails.length === 0) return [];
  return [{ name: r.contact ?? r.name, title: r.title, phones: r.phones, emails: r.emails }];
}

/** Folds a later row into a change: its fields win, its contact joins (same name: merged). */
export function mergeInto(change: Change, r: ImportRecord): void {
  Object.assign(change.fields, fieldsOf(r));
  for (const c of contactOf(r)) {
    const same = change.contacts.find((k) => k.name === c.name);
    if (!same) {
      change.contacts.push({ ...c, phones: [...c.phones], emails: [...c.emails] });
      continue;
    }
    for (const p of c.phones) if (!same.phones.some((q) => q.e164 === p.e164)) same.phones.push(p);
    for (const e of c.emails) if (!same.emails.includes(e)) same.emails.push(e);
    if (!same.title && c.title) same.title = c.title;
  }
}

export function planImport(records: ImportRecord[], existing: Existing, policy: DuplicatePolicy): Plan {
  const plan: Plan = { creates: [], updates: new Map(), updated: 0, skipped: 0, errors: [], outcomes: [] };
  /** duplicate key → the change an earlier row of this file made */
  const seen = new Map<string, Change>();
  const remember = (r: ImportRecord, change: Change) => {
    for (const k of duplicateKeys(r)) if (!seen.has(k)) seen.set(k, change);
  };
  const updateOf = (customerId: string, r: ImportRecord): PlannedUpdate => {
    let u = plan.updates.get(customerId);
    if (!u) {
      u = { action: 'update', customerId, line: r.line, record: r, fields: {}, contacts: [] };
      plan.updates.set(customerId, u);
    }
    return u;
  };
  for (const r of records) {
    const keys = duplicateKeys(r);
    const stored = r.externalId ? existing.byExternalId.get(r.externalId) : undefined;
    const earlier = keys.map((k) => seen.get(k)).find((c) => c !== undefined);
    const storedDuplicate = stored ?? keys.map((k) => existing.byKey.get(k)).find((id) => id !== undefined);
    const duplicateOf = earlier ? `line ${earlier.line}` : storedDuplicate;
    if (policy === 'skip' && (earlier || storedDuplicate)) {
      plan.skipped++;
      plan.outcomes.push({ line: r.line, action: 'skip', name: r.name, duplicateOf });
      continue;
    }
    // An external ID names one customer: it is updated whatever else matches.
    const targetId = stored ?? (policy === 'update' && !earlier ? storedDuplicate : undefined);
    if (targetId) {
      if (!existing.editable.has(targetId)) {
        plan.errors.push({
          line: r.line,
          message: `duplicate of customer ${targetId}, which you may not edit`,
        });
        continue;
      }
      const u = updateOf(targetId, r);
      mergeInto(u, r);
      remember(r, u);
      plan.updated++;
      plan.outcomes.push({ line: r.line, action: 'update', name: r.name, duplicateOf: targetId });
      continue;
    }
    const sameExternal = r.externalId ? seen.get(`x:${r.externalId}`) : undefined;
    if ((policy === 'update' && earlier) || sameExternal) {
      const into = sameExternal ?? earlier!;
      mergeInto(into, r);
      plan.updated++;
      plan.outcomes.push({ line: r.line, action: 'update', name: r.name, duplicateOf: `line ${into.line}` });
      continue;
    }
    const create: PlannedCreate = { action: 'create', line: r.line, record: r, fields: {}, contacts: [] };
    mergeInto(create, r);
    plan.creates.push(create);
    remember(r, create);
    plan.outcomes.push({ line: r.line, action: 'create', name: r.name, duplicateOf });
  }
  return plan;
}
