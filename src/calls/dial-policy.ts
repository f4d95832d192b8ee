/**
 * Outbound dial restrictions against toll fraud (CC-08, CC-14): which number prefixes each role may
 * dial, and prefixes nobody may dial (premium-rate and information services). Stored as one
 * document in `acd_settings`; checked on the server before any outbound leg is created.
 */
import { z } from 'zod';
import { normalizePrefix } from '../directory/index.ts';
import { AppError } from '../shared/index.ts';
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

/** Throws AppError('forbidden') naming the rule when `role` may not dial `e164`. */
export function checkDial(policy: DialPolicy, role: DialRole, e164: string): void {
  const blocked = policy.blocked.find((p) => e164.startsWith(p));
  if (blocked) throw new AppError('forbidden', `numbers starting ${blocked} may not be dialled`);
  if (!policy.allowed[role].some((p) => p === '+' || e164.startsWith(p))) {
    throw new AppError('forbidden', `role ${role} may not dial ${e164.slice(0, 4)}… numbers`);
  }
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
