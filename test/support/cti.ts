/** A CTI WebSocket client for tests: connects with a session cookie and keeps every message. */
import WebSocket from 'ws';
import type { ApiClient } from './system-under-test.ts';

export interface CtiMessage {
  type: string;
  data: Record<string, unknown>;
  at: string;
  /** Local receive time (ms), to order events as the client saw them. */
  receivedAt: number;
}

export async function connectCti(api: ApiClient): Promise<{ ws: WebSocket; events: CtiMessage[] }> {
  const ws = new WebSocket(`${api.baseUrl.replace('http', 'ws')}/api/cti`, {
    headers: { cookie: api.cookieHeader },
  });
  const events: CtiMessage[] = [];
  ws.on('message', (m: Buffer) => events.push({ ...JSON.parse(m.toString()), receivedAt: Date.now() }));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, events };
}
