/**
 * Acceptance (issue #4, CC-01/CC-08/CC-15) with real SIP peers: trunks and outbound routes are
 * data, managed over the API and applied to the running switch without a restart.
 *
 * (a) A carrier's registrar (SIPp) challenges our REGISTER with digest; the retried REGISTER must
 *     carry Authorization for the trunk's username and the right password; the monitor then shows
 *     the trunk registered. A call the carrier sends to our account with the DID only in To reaches
 *     that DID's IVR. Deleting the trunk unregisters it (Expires: 0, checked by the registrar).
 * (b) Click-to-dial goes out through the route's trunk in the route's dial format (0138…, strip
 *     "+86" prepend "0") with the route's fixed caller ID in From (checked by the trunk SIPp); the
 *     CDR's caller is that presented number, not the hotline the call asked for.
 * (c) With maxChannels 1 on the route, a second simultaneous outbound call is refused before any
 *     INVITE: dialling is asynchronous, so the API still answers 201; what shows the refusal is the
 *     second call's CDR (no_answer, ended by the system), the route's `refused` counter on the
 *     monitor, and the trunk's message log holding a single INVITE.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDesk } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let base: number;
let admin: ApiClient;
let sup: ApiClient;
const logDir = mkdtempSync(join(tmpdir(), 'sy-trunks-'));

beforeAll(async () => {
  base = await freeSipPort(3000);
  sut = await startSystemUnderTest();
  admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
});
afterAll(async () => {
  await sut?.stop();
  rmSync(logDir, { recursive: true, force: true });
});

interface TrunkMonitor {
  trunks: {
    id: string;
    name: string;
    host: string;
    registered: boolean;
    lastError: string | null;
    expiresAt: string | null;
    channelsInUse: number;
    maxChannels: number | null;
    refused: number;
  }[];
  routes: { id: string; channelsInUse: number; maxChannels: number | null; refused: number }[];
}

interface Cdr {
  callId: string;
  caller: string;
  dnis: string;
  disposition: string;
  hangupBy: string | null;
  answeredAt: string | null;
}

const monitor = () => sup.json<TrunkMonitor>('GET', '/api/monitor/trunks');

async function cdrOf(callId: string, disposition: string): Promise<Cdr> {
  let cdr: Cdr | undefined;
  await expect
    .poll(async () => {
      cdr = (await sup.json<Cdr[]>('GET', '/api/cdrs?limit=10')).find((x) => x.callId === callId);
      return cdr?.disposition;
    })
    .toBe(disposition);
  return cdr!;
}

describe('trunks and outbound routes', () => {
  it('(a) registers with a carrier using digest auth, takes its calls by the DID in To, and unregisters on delete', async () => {
    const registrarPort = base;
    const registrar = runSipp({
      scenario: 'carrier-registrar.xml',
      target: `127.0.0.1:${sut.sipPort}`,
      localPort: registrarPort,
      timeoutSec: 90,
    });
    const created = await admin.request('POST', '/api/trunks', {
      name: 'carrier-reg',
      host: '127.0.0.1',
      port: registrarPort,
      register: true,
      username: 'sy-trunk-01',
      password: 'carrier-secret',
      registerExpires: 300,
    });
    expect(created.status).toBe(201);
    const trunk = (await created.json()) as Record<string, unknown>;
    expect(trunk).toMatchObject({ name: 'carrier-reg', register: true, hasPassword: true, domain: null });
    expect(trunk).not.toHaveProperty('password');
    expect(JSON.stringify(await admin.json('GET', '/api/trunks'))).not.toContain('carrier-secret');

    await expect
      .poll(async () => (await monitor()).trunks.find((t) => t.id === trunk.id), { timeout: 15_000 })
      .toMatchObject({ name: 'carrier-reg', host: '127.0.0.1', registered: true, lastError: null });
    const expiresAt = Date.parse((await monitor()).trunks.find((t) => t.id === trunk.id)!.expiresAt!);
    // The registrar granted 120 s (not the 300 asked for).
    expect(expiresAt - Date.now()).toBeGreaterThan(100_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(120_000);

    // The carrier calls our account; the DID it was dialled on is only in To.
    const call = await runSipp({
      scenario: 'carrier-calls-did-in-to.xml',
      target: `127.0.0.1:${sut.sipPort}`,
      localPort: base + 40,
      mediaPort: base + 1040,
      service: 'sy-trunk-01',
      vars: { did: '4008001000', caller: '13812345678', listen_ms: 1500 },
      timeoutSec: 30,
    }).done;
    expect(call.code, call.output.slice(-2000)).toBe(0);
    await expect
      .poll(async () => (await sup.json<Cdr[]>('GET', '/api/cdrs?limit=1'))[0])
      .toMatchObject({ caller: '13812345678', dnis: '4008001000', disposition: 'ivr' });

    // Removing the trunk removes the binding at the carrier (Expires: 0 on the same Call-ID).
    expect((await admin.request('DELETE', `/api/trunks/${String(trunk.id)}`)).status).toBe(204);
    const r = await registrar.done;
    expect(r.code, r.output.slice(-3000)).toBe(0);
    expect((await monitor()).trunks.some((t) => t.id === trunk.id)).toBe(false);

    const audit = await admin.json<{ items: { action: string; detail: Record<string, unknown> }[] }>(
      'GET',
      `/api/audit?target=${String(trunk.id)}`,
    );
    expect(audit.items.map((i) => i.action).sort()).toEqual(['trunk.create', 'trunk.delete']);
    expect(JSON.stringify(audit.items)).not.toContain('carrier-secret');
  }, 120_000);

  it('validates trunks and routes, naming the field, and guards trunks in use', async () => {
    const bad = await admin.request('POST', '/api/trunks', { name: 'x', host: 'not a host!', port: 5060 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('body.host');
    const noUser = await admin.request('POST', '/api/trunks', {
      name: 'x',
      host: '10.0.0.9',
      register: true,
    });
    expect(noUser.status).toBe(400);
    expect(((await noUser.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe(
      'username',
    );
    const noRoute = await admin.request('POST', '/api/outbound-routes', {
      name: 'r',
      prefix: '+86',
      trunkId: 'trk_missing',
    });
    expect(noRoute.status).toBe(400);
    expect(JSON.stringify(await noRoute.json())).toContain('trunkId');
    expect(
      (await admin.request('PUT', '/api/trunks/trk_missing', { name: 'x', host: '10.0.0.9' })).status,
    ).toBe(404);
    expect((await admin.request('DELETE', '/api/outbound-routes/rte_missing')).status).toBe(404);

    const gw = await admin.json<{ id: string }>('POST', '/api/trunks', { name: 'gw-test', host: '10.0.0.9' });
    const route = await admin.json<{ id: string; prefix: string }>('POST', '/api/outbound-routes', {
      name: 'Beijing',
      prefix: '010',
      trunkId: gw.id,
    });
    expect(route.prefix).toBe('+8610');
    expect((await admin.request('DELETE', `/api/trunks/${gw.id}`)).status).toBe(409);
    expect((await sup.request('POST', '/api/trunks', { name: 'y', host: '10.0.0.8' })).status).toBe(403);
    expect((await sup.json<{ id: string }[]>('GET', '/api/outbound-routes')).map((r) => r.id)).toContain(
      route.id,
    );
    expect((await admin.request('DELETE', `/api/outbound-routes/${route.id}`)).status).toBe(204);
    const paths = Object.keys((await admin.json<{ paths: object }>('GET', '/api/openapi.json')).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/trunks',
        '/api/trunks/{id}',
        '/api/outbound-routes',
        '/api/monitor/trunks',
      ]),
    );
    expect((await admin.request('DELETE', `/api/trunks/${gw.id}`)).status).toBe(204);
  });

  it('(b, c) dials out through the route’s trunk in its dial format and caller ID, and refuses a call over the route’s limit', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    // SIPp takes media port N and N+2: keep every peer 10 ports apart.
    const trunkPort = base + 10;
    const phoneA = base + 20;
    const phoneB = base + 30;
    const carrier = await admin.json<{ id: string }>('POST', '/api/trunks', {
      name: 'carrier',
      host: '127.0.0.1',
      port: trunkPort,
    });
    const route = await admin.json<{ id: string }>('POST', '/api/outbound-routes', {
      name: 'China national',
      prefix: '+86',
      trunkId: carrier.id,
      stripPrefix: '+86',
      prepend: '0',
      callerId: '02088886666',
      maxChannels: 1,
    });

    await sippRegister(target, phoneA, '1002', 'demo1234');
    await sippRegister(target, phoneB, '1003', 'demo1234');
    const deskA = await agentDesk(sut, '1002');
    const deskB = await agentDesk(sut, '1003');
    await deskA.api.json('PUT', '/api/agent/state', { state: 'not_ready', reason: 'meeting' });
    await deskB.api.json('PUT', '/api/agent/state', { state: 'not_ready', reason: 'meeting' });

    const messages = join(logDir, 'trunk-messages.log');
    const customer = runSipp({
      scenario: 'trunk-national-format.xml',
      target,
      localPort: trunkPort,
      mediaPort: trunkPort + 1000,
      timeoutSec: 90,
      extraArgs: ['-trace_msg', '-message_file', messages],
    });
    const agentA = runSipp({
      scenario: 'agent-hangs-up.xml',
      target,
      localPort: phoneA,
      mediaPort: phoneA + 1000,
      vars: { talk_ms: 8000 },
    });
    const first = await deskA.api.json<{ callId: string; callerId: string }>('POST', '/api/agent/calls', {
      number: '138-0000-0001',
    });
    // The call asks for the hotline; the route presents its own number (checked by the trunk SIPp).
    expect(first.callerId).toBe('4008001000');
    await expect
      .poll(async () => (await monitor()).routes.find((r) => r.id === route.id)?.channelsInUse, {
        timeout: 15_000,
      })
      .toBe(1);

    // A second call while the route's only channel is taken.
    const agentB = runSipp({
      scenario: 'agent-answer.xml',
      target,
      localPort: phoneB,
      mediaPort: phoneB + 1000,
      vars: { answer_delay: 200 },
    });
    const second = await deskB.api.request('POST', '/api/agent/calls', { number: '13900000002' });
    expect(second.status).toBe(201);
    const secondId = ((await second.json()) as { callId: string }).callId;
    const b = await agentB.done;
    expect(b.code, b.output.slice(-2000)).toBe(0);
    expect(await cdrOf(secondId, 'no_answer')).toMatchObject({ hangupBy: 'system', answeredAt: null });
    const during = await monitor();
    expect(during.routes.find((r) => r.id === route.id)).toMatchObject({ maxChannels: 1, refused: 1 });
    expect(during.trunks.find((t) => t.id === carrier.id)).toMatchObject({ registered: false, refused: 0 });

    const [c, a] = await Promise.all([customer.done, agentA.done]);
    expect(c.code, c.output.slice(-2000)).toBe(0);
    expect(a.code, a.output.slice(-2000)).toBe(0);
    // The CDR keeps the caller ID the customer was shown (the route's), not the one asked for.
    expect(await cdrOf(first.callId, 'answered')).toMatchObject({
      caller: '02088886666',
      dnis: '+8613800000001',
    });
    const invites = readFileSync(messages, 'utf8').match(/^INVITE sip:/gm) ?? [];
    expect(invites).toHaveLength(1);
    await expect
      .poll(async () => (await monitor()).routes.find((r) => r.id === route.id)?.channelsInUse)
      .toBe(0);

    deskA.ws.close();
    deskB.ws.close();
    await sippRegister(target, phoneA, '1002', 'demo1234', 0);
    await sippRegister(target, phoneB, '1003', 'demo1234', 0);
  }, 150_000);
});
