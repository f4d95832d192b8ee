/**
 * Outbound dial restrictions against toll fraud (CC-08, CC-14): which number prefixes each role may
 * dial, and prefixes nobody may dial (premium-rate and information services). Stored as one
 * document in `acd_settings`; checked on the server before any outbound leg is created.
 */
import { z } from 'zod';
import { normalizePrefix } from '../directory/index.ts';
import { normalizePhone } from '../crm/index.ts';
import { AppError, invalid } from '../shared/index.ts';
import { readSetting, writeSetting, type Db } from '../store/index.ts';

const KEY = 'dial_policy';
const prefix = z
  .string()
  .trim()
  .regex(/^\+?\d{0,15}$/, 'digits, optionally starting with +')
  .transform((p) => (p === '+' || p === '' ? '+' : normalizePrefix(p)));

export const dialPolicyInput = z.object({
  /** Prefixes each role may dial; "+" allows every number. */
  allowed: z
    .object({
      agent: z.array(prefix).max(100),
      supervisor: z.array(prefix).max(100),
      admin: z.array(prefix).max(100),
    })
    .default({ agent: ['+86'], supervisor: ['+86'], admin: ['+'] }),
  /** Never dialled, whatever the role (e.g. premium-rate 168 and 900 services). */
  blocked: z.array(prefix).max(200).default(['+86168', '+86900']),
});
export type DialPolicy = z.output<typeof dialPolicyInput>;
export type DialRole = keyof DialPolicy['allowed'];

/** The CRM roles (sales_manager, sales) dial with the agents' prefixes. */
export function dialRoleOf(role: string): DialRole {
  return role === 'admin' || role === 'supervisor' ? role : 'agent';
}

/** Throws AppError('forbidden') naming the rule when `role` may not dial `e164`. */
export function checkDial(policy: DialPolicy, role: DialRole, e164: string): void {
  const blocked = policy.blocked.find((p) => e164.startsWith(p));
  if (blocked) throw new AppError('forbidden', `numbers starting ${blocked} may not be dialled`);
  if (!policy.allowed[role].some((p) => p === '+' || e164.startsWith(p))) {
    throw new AppError('forbidden', `role ${role} may not dial ${e164.slice(0, 4)}… numbers`);
  }
}

/**
 * A number someone wants to dial, as E.164, or a 400 naming `field` / a 403 naming the rule.
 * The policy is checked before validity: premium-rate numbers are often not "valid" to
 * libphonenumber, and they must be refused as such.
 */
export function dialableNumber(policy: DialPolicy, role: DialRole, raw: string, field = 'number'): string {
  const phone = normalizePhone(raw);
  if (!phone?.e164.startsWith('+')) throw invalid(field, `not a phone number: ${raw}`);
  checkDial(policy, role, phone.e164);
  if (!phone.valid) throw invalid(field, `not a valid phone number: ${raw}`);
  return phone.e164;
}

export class DialPolicyStore {
  constructor(private readonly db: Db) {}

  async get(): Promise<DialPolicy> {
    return dialPolicyInput.parse((await readSetting(this.db, KEY))?.value ?? {});
  }

  async save(policy: DialPolicy, userId: string): Promise<DialPolicy> {
    await writeSetting(this.db, KEY, policy, userId);
    return this.get();
  }
}
