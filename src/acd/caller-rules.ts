/**
 * Caller-number routing (主叫号码排队, ACD-05; CC-13 by tier): VIP number lists and customer tiers
 * raise the caller's priority or pick a group; prefix / area-code rules send callers to regional
 * groups. A pure function of the rules and the call: no lookups, no clock.
 *
 * Group precedence: a VIP list's group, then the tier's, then the longest matching prefix that
 * names a group, then the group the dialled number (DNIS) chose. Priority: the highest any matching rule gives.
 */
export interface VipList {
  name: string;
  /** E.164 numbers, e.g. "+8613800138000". */
  numbers: readonly string[];
  priority?: number;
  group?: string;
}

export interface TierRule {
  tier: string;
  priority?: number;
  group?: string;
}

export interface PrefixRule {
  /** E.164 prefix, e.g. "+8610" (Beijing) or "+86139". */
  prefix: string;
  group?: string;
  priority?: number;
}

export interface CallerRules {
  vipLists?: readonly VipList[];
  tiers?: readonly TierRule[];
  prefixes?: readonly PrefixRule[];
  basePriority?: number;
}

export interface CallerInput {
  callerE164: string | null;
  tier?: string | null;
  dnisGroup: string;
}

export interface CallerRoute {
  group: string;
  priority: number;
  /** Which rules applied, e.g. ["vip:gold-shippers", "prefix:+8610"], for the CDR and tests. */
  matched: string[];
}

export interface CompiledCallerRules {
  readonly vip: ReadonlyMap<string, VipList>;
  readonly tiers: ReadonlyMap<string, TierRule>;
  readonly prefixes: ReadonlyMap<string, PrefixRule>;
  readonly longestPrefix: number;
  readonly basePriority: number;
}

/** Index the rules once (numbers in a map, prefixes by string) so routing is O(prefix length). */
export function compileCallerRules(rules: CallerRules): CompiledCallerRules {
  const vip = new Map<string, VipList>();
  for (const list of rules.vipLists ?? []) for (const n of list.numbers) if (!vip.has(n)) vip.set(n, list);
  const prefixes = new Map<string, PrefixRule>();
  let longestPrefix = 0;
  for (const p of rules.prefixes ?? []) {
    if (!prefixes.has(p.prefix)) prefixes.set(p.prefix, p);
    longestPrefix = Math.max(longestPrefix, p.prefix.length);
  }
  return {
    vip,
    tiers: new Map((rules.tiers ?? []).map((t) => [t.tier, t])),
    prefixes,
    longestPrefix,
    basePriority: rules.basePriority ?? 0,
  };
}

export function routeCaller(rules: CompiledCallerRules, input: CallerInput): CallerRoute {
  const matched: string[] = [];
  let priority = rules.basePriority;
  const caller = input.callerE164;
  const vip = caller ? rules.vip.get(caller) : undefined;
  const tier = input.tier ? rules.tiers.get(input.tier) : undefined;
  // Group from the longest prefix that names one, priority from the longest that sets one, so
  // "+86139 → priority 1" refines "+86 → domestic" instead of hiding it.
  let prefixGroup: PrefixRule | undefined;
  let prefixPriority: PrefixRule | undefined;
  if (caller) {
    for (let len = Math.min(rules.longestPrefix, caller.length); len > 0; len--) {
      const p = rules.prefixes.get(caller.slice(0, len));
      if (!p) continue;
      if (!prefixGroup && p.group !== undefined) prefixGroup = p;
      if (!prefixPriority && p.priority !== undefined) prefixPriority = p;
      if (prefixGroup && prefixPriority) break;
    }
  }
  if (vip) {
    matched.push(`vip:${vip.name}`);
    priority = Math.max(priority, vip.priority ?? priority);
  }
  if (tier) {
    matched.push(`tier:${tier.tier}`);
    priority = Math.max(priority, tier.priority ?? priority);
  }
  for (const p of new Set([prefixPriority, prefixGroup])) {
    if (!p) continue;
    matched.push(`prefix:${p.prefix}`);
    priority = Math.max(priority, p.priority ?? priority);
  }
  const group = vip?.group ?? tier?.group ?? prefixGroup?.group ?? input.dnisGroup;
  return { group, priority, matched };
}
