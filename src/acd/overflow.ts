/**
 * Time and condition driven changes to waiting calls (ACD-04): due timers (escalation steps,
 * wait-threshold overflow, ring-progressively steps, wrap-up deadlines) and the condition rules
 * (all busy, unstaffed, queue too long). Every change is written to the outbox so the caller can
 * write CDR legs and CTI events from `tick()`.
 */
import type { AcdCore } from './acd-core.ts';
import type { OverflowCondition, QueuedCall } from './acd-types.ts';
import { maxLevelAfter, targets, type OverflowRule } from './group-config.ts';
import type { GroupRuntime } from './group-runtime.ts';
import type { Timer } from './timer-queue.ts';

/** Bring schedules and timers up to `now`. */
export function advance(core: AcdCore, now: number): void {
  core.refreshSchedules(now);
  for (const t of core.timers.takeDue(now)) fire(core, t, now);
}

function stillWaiting(
  core: AcdCore,
  t: { callId: string; group: string; enteredAt: number },
): QueuedCall | null {
  const call = core.queued.get(t.callId);
  if (!call || call.group !== t.group || (call.groupEnteredAt ?? call.enqueuedAt) !== t.enteredAt)
    return null;
  return call;
}

function fire(core: AcdCore, t: Timer, now: number): void {
  switch (t.kind) {
    case 'escalate': {
      const call = stillWaiting(core, t);
      if (call) reportEscalation(core, call, now);
      return;
    }
    case 'wait_overflow': {
      const call = stillWaiting(core, t);
      const rule = core.group(t.group).config.overflow[t.rule];
      if (!call || rule?.when !== 'wait_exceeds') return;
      // The threshold may have been raised since the timer was armed.
      const due = t.enteredAt + (rule.threshold ?? 0) * 1000;
      if (due > now) core.timers.add({ ...t, due });
      else moveCall(core, call, rule, now);
      return;
    }
    case 'progressive':
      core.progressiveDue.push(t.callId);
      return;
    case 'wrap_up': {
      const a = core.agents.get(t.agentId);
      if (a?.state !== 'after_call_work' || a.since !== t.since) return;
      const deadline = core.wrapUpDeadline(a);
      // Extended meanwhile: come back at the new deadline.
      if (deadline > now) core.timers.add({ ...t, due: deadline });
      else core.push('stateChanges', core.setState(a, 'ready', null, now));
      return;
    }
  }
}

/** Escalation keeps the caller's place: nothing moves, more levels become eligible. */
function reportEscalation(core: AcdCore, call: QueuedCall, now: number): void {
  const g = core.group(call.group);
  const enteredAt = call.groupEnteredAt ?? call.enqueuedAt;
  const steps = g.config.escalation.filter((s) => now - enteredAt >= s.afterSeconds * 1000).length;
  const key = `${call.group}@${enteredAt}`;
  const seen = core.escalationSeen.get(call);
  if (seen && seen.key === key && seen.steps >= steps) return;
  core.escalationSeen.set(call, { key, steps });
  const level = maxLevelAfter(g.config, now - enteredAt);
  core.push('escalated', {
    callId: call.callId,
    group: call.group,
    maxLevel: level === Infinity ? null : level,
    at: now,
  });
}

/**
 * Move `call` by `rule`: to the first target not yet visited that has a free agent for the
 * call's channel, else the first that is staffed. Nobody staffed anywhere: the call stays, since
 * moving it to an empty group would only hide it. Returns whether it moved.
 */
export function moveCall(core: AcdCore, call: QueuedCall, rule: OverflowRule, now: number): boolean {
  const from = call.group;
  const path = call.path ?? [from];
  const channel = call.channel ?? 'voice';
  const open = targets(rule).filter((t) => !path.includes(t));
  const to =
    open.find((t) => core.group(t).freeCount(channel) > 0) ?? open.find((t) => core.group(t).staffed > 0);
  if (to === undefined) return false;
  core.removeCall(call);
  call.group = to;
  call.groupEnteredAt = now;
  call.path = [...path, to];
  core.insertCall(call);
  core.push('overflowed', { callId: call.callId, from, to, condition: rule.when, at: now });
  return true;
}

function waitedEnough(call: QueuedCall, rule: OverflowRule, now: number): boolean {
  const grace = (rule.threshold ?? 0) * 1000;
  return now - (call.groupEnteredAt ?? call.enqueuedAt) >= grace;
}

const conditions: ReadonlySet<OverflowCondition> = new Set(['all_busy', 'unstaffed', 'queue_exceeds']);

/** Apply the condition rules of every group with waiting calls; returns how many calls moved. */
export function applyConditions(core: AcdCore, now: number): number {
  let moved = 0;
  for (const g of [...core.waiting]) {
    for (const rule of g.config.overflow) {
      if (!conditions.has(rule.when)) continue;
      moved += applyRule(core, g, rule, now);
    }
  }
  return moved;
}

function applyRule(core: AcdCore, g: GroupRuntime, rule: OverflowRule, now: number): number {
  let moved = 0;
  if (rule.when === 'queue_exceeds') {
    // The newest callers of the lowest priority beyond the limit move; the rest keep their places.
    const limit = rule.threshold ?? Infinity;
    for (let call = g.queue.last(); call && g.queue.size > limit; call = g.queue.last()) {
      if (!moveCall(core, call, rule, now)) break;
      moved++;
    }
    return moved;
  }
  if (rule.when === 'unstaffed' && g.staffed > 0) return 0;
  if (rule.when === 'all_busy' && !g.someChannelBusy()) return 0;
  for (const call of [...g.queue.all()]) {
    if (core.sticky.has(call.callId) || !waitedEnough(call, rule, now)) continue;
    if (rule.when === 'all_busy' && g.freeCount(call.channel ?? 'voice') > 0) continue;
    if (moveCall(core, call, rule, now)) moved++;
  }
  return moved;
}
