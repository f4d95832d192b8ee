/**
 * The company's number plan (CC-07): which callers are colleagues. A call from one of our
 * extensions, or from a number in one of the company's own ranges (its DID blocks, branch
 * switchboards), is internal: the CDR says so, the agent's card shows a colleague instead of a
 * customer lookup, and caller-number rules do not apply.
 */
import { z } from 'zod';
import { normalizePrefix } from '../directory/index.ts';
import { readSetting, writeSetting, type Db } from '../store/index.ts';

const KEY = 'number_plan';

export const numberPlanInput = z.object({
  internalRanges: z
    .array(
      z.object({
        /** "0755-8888" or "+86755 8888": every number starting so is the company's own. */
        prefix: z
          .string()
          .trim()
          .regex(/^\+?[\d -]{3,20}$/, 'digits, optionally starting with +')
          .transform(normalizePrefix),
        label: z.string().trim().max(60).default(''),
      }),
    )
    .max(500)
    .default([]),
});
export type NumberPlan = z.output<typeof numberPlanInput>;

export interface InternalCaller {
  /** The colleague's name when the call comes from one of our extensions. */
  name: string | null;
  extension: string | null;
  /** The range's label, e.g. "深圳总部". */
  range: string | null;
}

export class NumberPlanStore {
  private plan: NumberPlan = { internalRanges: [] };

  constructor(private readonly db: Db) {}

  async load(): Promise<NumberPlan> {
    this.plan = numberPlanInput.parse((await readSetting(this.db, KEY))?.value ?? {});
    return this.plan;
  }

  get current(): NumberPlan {
    return this.plan;
  }

  async save(plan: NumberPlan, userId: string): Promise<NumberPlan> {
    await writeSetting(this.db, KEY, plan, userId);
    return this.load();
  }

  /** Internal when `fromUser` is one of our extensions or the number is in an internal range. */
  classify(
    fromUser: string,
    e164: string | null,
    extension: (user: string) => { displayName: string } | undefined,
  ): InternalCaller | null {
    const colleague = extension(fromUser);
    if (colleague) return { name: colleague.displayName, extension: fromUser, range: null };
    if (!e164) return null;
    let best: NumberPlan['internalRanges'][number] | undefined;
    for (const r of this.plan.internalRanges)
      if (e164.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
    return best ? { name: null, extension: null, range: best.label || best.prefix } : null;
  }
}
