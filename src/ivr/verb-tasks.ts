/**
 * What the call path must do for the voicemail, message, webhook and transfer verbs, and where the
 * flow goes after. FlowRun stays pure: it hands a `task` action to the runner with every template
 * already filled in, waits, and takes the outcome through onTaskResult.
 */
import type { CallLanguage, ExtraNode } from './verb-nodes.ts';
import { renderTemplate } from './flow-template.ts';
import type { PromptItem } from './flow-schema.ts';

export type VerbTask =
  | { verb: 'voicemail'; prompt: PromptItem[] | null; beep: boolean; maxSeconds: number; group: string }
  | { verb: 'sms' | 'email' | 'fax'; to: string; subject: string | null; text: string }
  | {
      verb: 'webhook';
      url: string;
      method: 'GET' | 'POST' | 'PUT';
      body: string | null;
      timeoutMs: number;
      map: Record<string, string>;
    }
  | { verb: 'transfer'; kind: 'number' | 'extension'; target: string };

/** The outcome of a task: `ok`, plus variables to set (a webhook's mapped fields). */
export interface TaskResult {
  ok: boolean;
  variables?: Record<string, string>;
}

export type TaskNode = Exclude<ExtraNode, { verb: 'language' }>;
const taskVerbs: ReadonlySet<string> = new Set(['voicemail', 'sms', 'email', 'fax', 'webhook', 'transfer']);

export function isTaskNode(node: { verb: string }): node is TaskNode {
  return taskVerbs.has(node.verb);
}

/** "caller" and "customer" are resolved by the runner, which knows the call; others are templates. */
function recipient(to: string, vars: Readonly<Record<string, string>>): string {
  return to === 'caller' || to === 'customer' ? to : renderTemplate(to, vars).trim();
}

/**
 * The task for a node, or the queue action of a transfer to a group (no task: the ACD takes the
 * call as from a queue node).
 */
export function verbTask(
  node: TaskNode,
  vars: Readonly<Record<string, string>>,
  language: CallLanguage | null,
): VerbTask | { queue: string; priority: number } {
  const lang = language ?? 'zh';
  switch (node.verb) {
    case 'voicemail':
      return {
        verb: 'voicemail',
        prompt: node.prompt ?? null,
        beep: node.beep,
        maxSeconds: node.maxSeconds,
        group: node.group,
      };
    case 'sms':
    case 'email':
    case 'fax':
      return {
        verb: node.verb,
        to: recipient(node.to, vars),
        subject:
          node.verb === 'sms' || node.subject === undefined ? null : renderTemplate(node.subject, vars, lang),
        text: renderTemplate(node.text, vars, lang),
      };
    case 'webhook':
      return {
        verb: 'webhook',
        url: renderTemplate(node.url, vars).trim(),
        method: node.method,
        body: node.body === undefined ? null : renderTemplate(node.body, vars),
        timeoutMs: node.timeoutMs,
        map: node.map,
      };
    case 'transfer':
      if (node.kind === 'group') return { queue: node.target, priority: node.priority };
      return { verb: 'transfer', kind: node.kind, target: renderTemplate(node.target, vars).trim() };
  }
}

/**
 * Where the flow goes after a task: a node id, 'hangup', or 'done' (the call left the IVR: a
 * transfer that was answered).
 */
export function afterTask(node: TaskNode, ok: boolean): string | 'hangup' | 'done' {
  switch (node.verb) {
    case 'voicemail':
      return node.next ?? 'hangup';
    case 'sms':
    case 'email':
    case 'fax':
      return ok ? node.next : (node.onFailure ?? node.next);
    case 'webhook':
      return ok ? node.next : node.fallback;
    case 'transfer':
      return ok ? 'done' : (node.onFailure ?? 'hangup');
  }
}

/** The call's language as chosen in a language node (the `language` variable), if any. */
export function callLanguage(vars: Readonly<Record<string, string>>): CallLanguage | null {
  const v = vars.language;
  return v === 'zh' || v === 'en' ? v : null;
}
