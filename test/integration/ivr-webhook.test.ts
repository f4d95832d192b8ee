/**
 * The webhook verb against a real local HTTP server (issue #5): the templated body arrives, mapped
 * JSON fields become variables the next node speaks; an error status, a non-JSON answer and an
 * answer slower than timeoutMs each take the fallback node.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWebhook } from '../../src/calls/webhook-call.ts';
import { FlowRun, flowDocument, type IvrAction } from '../../src/ivr/index.ts';

let server: Server;
let base: string;
const received: { method: string; url: string; type: string | undefined; body: string }[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      received.push({ method: req.method!, url: req.url!, type: req.headers['content-type'], body });
      const send = (status: number, type: string, text: string) => {
        res.writeHead(status, { 'content-type': type });
        res.end(text);
      };
      if (req.url!.startsWith('/eta'))
        return send(
          200,
          'application/json',
          JSON.stringify({ data: { eta: '明天', stops: [{ city: '成都' }] } }),
        );
      if (req.url === '/error') return send(503, 'text/plain', 'down');
      if (req.url === '/text') return send(200, 'text/html', '<html>hi</html>');
      if (req.url === '/slow') return void setTimeout(() => send(200, 'application/json', '{}'), 1500);
      send(404, 'text/plain', 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Runs the flow's webhook for real and feeds the outcome back; returns what the flow did next. */
async function walk(url: string, timeoutMs = 1000): Promise<{ next: IvrAction[]; run: FlowRun }> {
  const flow = flowDocument.parse({
    name: 'eta',
    start: 'ask',
    nodes: {
      ask: {
        verb: 'webhook',
        url,
        body: '{"caller":"{caller}"}',
        timeoutMs,
        map: { eta: 'data.eta', city: 'data.stops.0.city' },
        next: 'tell',
        fallback: 'sorry',
      },
      tell: { verb: 'say', text: '预计{eta}到达{city}', next: 'bye' },
      sorry: { verb: 'say', text: '暂时无法查询', next: 'bye' },
      bye: { verb: 'hangup' },
    },
  });
  const run = new FlowRun(flow, { variables: { caller: '13800000001' } });
  const [action] = run.start();
  if (action?.type !== 'task' || action.task.verb !== 'webhook') throw new Error('expected a webhook task');
  const outcome = await callWebhook(action.task);
  return { next: run.onTaskResult(outcome), run };
}

const said = (actions: IvrAction[]) =>
  actions.flatMap((a) => (a.type === 'play' ? a.prompts.map((p) => ('tts' in p ? p.tts : p.file)) : []));

describe('webhook verb against a real HTTP server', () => {
  it('posts the templated body and speaks the mapped fields of the answer', async () => {
    const { next, run } = await walk(`${base}/eta?caller={caller}`);
    expect(said(next)).toEqual(['预计明天到达成都']);
    expect(run.variables).toMatchObject({ eta: '明天', city: '成都' });
    expect(received.at(-1)).toEqual({
      method: 'POST',
      url: '/eta?caller=13800000001',
      type: 'application/json',
      body: '{"caller":"13800000001"}',
    });
  });

  it('takes the fallback on an error status', async () => {
    expect(said((await walk(`${base}/error`)).next)).toEqual(['暂时无法查询']);
  });

  it('takes the fallback when mapped fields are asked of an answer that is not JSON', async () => {
    expect(said((await walk(`${base}/text`)).next)).toEqual(['暂时无法查询']);
  });

  it('takes the fallback when the answer is slower than timeoutMs', async () => {
    const started = Date.now();
    const { next, run } = await walk(`${base}/slow`, 300);
    expect(said(next)).toEqual(['暂时无法查询']);
    expect(Date.now() - started).toBeLessThan(1400); // did not wait for the late answer
    expect(run.path[0]).toMatchObject({ node: 'ask', branch: 'failed' });
  });

  it('reports why it failed: timeout, status, or nobody listening', async () => {
    expect(
      await callWebhook({
        verb: 'webhook',
        url: `${base}/slow`,
        method: 'GET',
        body: null,
        timeoutMs: 200,
        map: {},
      }),
    ).toMatchObject({ ok: false, reason: 'no answer within 200 ms' });
    expect(
      await callWebhook({
        verb: 'webhook',
        url: `${base}/error`,
        method: 'GET',
        body: null,
        timeoutMs: 1000,
        map: {},
      }),
    ).toMatchObject({ ok: false, status: 503 });
    // A port that was just free: nothing listens there now.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    const closed = await callWebhook({
      verb: 'webhook',
      url: `http://127.0.0.1:${port}/x`,
      method: 'POST',
      body: 'x',
      timeoutMs: 1000,
      map: {},
    });
    expect(closed.ok).toBe(false);
    expect(closed.reason).toMatch(/ECONNREFUSED/);
  });
});
