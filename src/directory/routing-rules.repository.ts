/** Persistence of caller-routing rules and the holiday calendar (ACD-03, ACD-05). */
import { asc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { normalizePhone } from '../crm/index.ts';
import { AppError, type FieldError } from '../shared/index.ts';
import { readSetting, tables, writeSetting, type Db } from '../store/index.ts';
import {
  holidayInput,
  normalizePrefix,
  routingRulesInput,
  type Holiday,
  type RoutingRules,
  type RoutingRulesView,
} from './routing-rules.schemas.ts';

const { holidays, skillGroups, users } = tables;
const RULES_KEY = 'caller_routing';

function validationError(fields: FieldError[]): AppError {
  const shown = fields.slice(0, 20);
  return new AppError('validation', shown.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw validationError(
      parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

export class RoutingRulesRepository {
  constructor(private readonly db: Db) {}

  async rules(): Promise<RoutingRulesView> {
    const row = await readSetting(this.db, RULES_KEY);
    const rules = routingRulesInput.parse(row?.value ?? {});
    const [by] = row?.updatedBy
      ? await this.db.select({ name: users.displayName }).from(users).where(eq(users.id, row.updatedBy))
      : [];
    return {
      ...rules,
      updatedAt: row?.updatedAt.toISOString() ?? null,
      updatedBy: row?.updatedBy ?? null,
      updatedByName: by?.name ?? null,
    };
  }

  /** Validate, canonicalise numbers and prefixes, check group names, then replace the rules. */
  async saveRules(input: unknown, userId: string): Promise<RoutingRulesView> {
    const rules: RoutingRules = parseOrThrow(routingRulesInput, input);
    const fields: FieldError[] = [];
    const groups = new Set(
      (await this.db.select({ name: skillGroups.name }).from(skillGroups)).map((g) => g.name),
    );
    const checkGroup = (group: string | null, field: string) => {
      if (group !== null && !groups.has(group)) fields.push({ field, message: `unknown group ${group}` });
    };
    const names = new Set<string>();
    rules.vipLists.forEach((list, i) => {
      if (names.has(list.name)) fields.push({ field: `vipLists.${i}.name`, message: 'listed twice' });
      names.add(list.name);
      checkGroup(list.group, `vipLists.${i}.group`);
      const seen = new Set<string>();
      list.numbers = list.numbers.flatMap((raw, j) => {
        const phone = normalizePhone(raw);
        if (!phone?.valid) {
          fields.push({ field: `vipLists.${i}.numbers.${j}`, message: `not a valid phone number: ${raw}` });
          return [];
        }
        if (seen.has(phone.e164)) return [];
        seen.add(phone.e164);
        return [phone.e164];
      });
    });
    const tiers = new Set<string>();
    rules.tiers.forEach((t, i) => {
      if (tiers.has(t.tier)) fields.push({ field: `tiers.${i}.tier`, message: 'listed twice' });
      tiers.add(t.tier);
      checkGroup(t.group, `tiers.${i}.group`);
    });
    const prefixes = new Set<string>();
    rules.prefixes.forEach((p, i) => {
      p.prefix = normalizePrefix(p.prefix);
      if (p.prefix.length < 3) fields.push({ field: `prefixes.${i}.prefix`, message: 'too short' });
      if (prefixes.has(p.prefix))
        fields.push({ field: `prefixes.${i}.prefix`, message: `${p.prefix} listed twice` });
      prefixes.add(p.prefix);
      if (p.group === null && p.priority === null)
        fields.push({ field: `prefixes.${i}.group`, message: 'a prefix rule needs a group or a priority' });
      checkGroup(p.group, `prefixes.${i}.group`);
    });
    if (fields.length > 0) throw validationError(fields);
    await writeSetting(this.db, RULES_KEY, rules, userId);
    return this.rules();
  }

  async holidays(): Promise<Holiday[]> {
    return this.db
      .select({ date: holidays.date, name: holidays.name })
      .from(holidays)
      .orderBy(asc(holidays.date));
  }

  /** Replace the whole calendar in one transaction. */
  async saveHolidays(input: unknown): Promise<Holiday[]> {
    const list = parseOrThrow(holidayInput.array().max(1000), input);
    const seen = new Set<string>();
    const fields: FieldError[] = [];
    list.forEach((h, i) => {
      if (seen.has(h.date)) fields.push({ field: `${i}.date`, message: `${h.date} listed twice` });
      seen.add(h.date);
    });
    if (fields.length > 0) throw validationError(fields);
    await this.db.transaction(async (tx) => {
      await tx.delete(holidays);
      if (list.length > 0) await tx.insert(holidays).values(list);
    });
    return this.holidays();
  }
}
