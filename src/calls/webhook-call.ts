/**
 * The webhook verb's HTTP call (issue #5): one request with a deadline; the JSON answer's fields
 * named in the node's map become flow variables. Anything but a 2xx answer in time — or, when
 * fields are mapped, an answer that is not JSON — is a failure the flow takes its fallback for.
 */
import type { TaskResult, VerbTask } from '../ivr/index.ts';

type WebhookTask = Extract<VerbTask, { verb: 'webhook' }>;

/** `data.items.0.eta` → the value there, as text; undefined when the path leads nowhere. */
export function pickJsonPath(value: unknown, path: string): string | undefined {
  let at: unknown = value;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? at[Number(part)] : (at as Record<string, unknown>)[part];
  }
  if (at === undefined || at === null) return undefined;
  return typeof at === 'object' ? JSON.stringify(at) : String(at);
}

export interface WebhookOutcome extends TaskResult {
  /** Why it failed, for the log. */
  reason?: string;
  status?: number;
}

export async function callWebhook(task: WebhookTask): Promise<WebhookOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), task.timeoutMs);
  try {
    const res = await fetch(task.url, {
      method: task.method,
      headers: {
        accept: 'application/json',
        ...(task.body !== null ? { 'content-type': guessContentType(task.body) } : {}),
      },
      body: task.method === 'GET' ? undefined : (task.body ?? undefined),
      signal: controller.signal,
      redirect: 'error',
    });
    const text = await res.text();
    if (!res.ok) return { ok: false, status: res.status, reason: `HTTP ${res.status}` };
    const names = Object.keys(task.map);
    if (names.length === 0) return { ok: true, status: res.status };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, status: res.status, reason: 'the answer is not JSON' };
    }
    const variables: Record<string, string> = {};
    for (const name of names) variables[name] = pickJsonPath(json, task.map[name]!) ?? '';
    return { ok: true, status: res.status, variables };
  } catch (err) {
    const reason = controller.signal.aborted
      ? `no answer within ${task.timeoutMs} ms`
      : err instanceof Error
        ? err.cause instanceof Error
          ? err.cause.message
          : err.message
        : String(err);
    return { ok: false, reason };
  } finally {
    clearTimeout(timer);
  }
}

function guessContentType(body: string): string {
  const t = body.trim();
  return t.startsWith('{') || t.startsWith('[') ? 'application/json' : 'text/plain; charset=utf-8';
}
