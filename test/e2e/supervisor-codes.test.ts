/**
 * Acceptance (issue #4, CC-05) with real SIP peers: a supervisor dials *1<ext> from their own
 * phone and silently joins the call agent <ext> is on (*2 whisper and *3 barge-in work the same
 * way); an agent's phone dialling the code is refused (403) and a code for an agent not on a call
 * gets 404. The audit trail records who listened, from which phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/directory/index.ts';
import { newId, tables } from '../../src/store/index.ts';
import { agentDesk, agentPhone, connectedCall, waitingCaller } from '../support/acd-fixtures.ts';
import { freeSipPort } from '../support/ports.ts';
import { runSipp, sippRegister } from '../support/sipp.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

let sut: SystemUnderTest;
let sup: ApiClient;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  // A supervisor with a desk phone, extension 1900.
  const userId = newId('usr');
  await sut.system.database.db.insert(tables.users).values({
    id: userId,
    username: 'sup1900',
    displayName: '质检主管',
    role: 'supervisor',
    passwordHash: await hashPassword('demo1234'),
  });
  await sut.system.database.db
    .insert(tables.agents)
    .values({ id: newId('agt'), userId, extension: '1900', sipPassword: 'demo1234' });
  await sut.system.center.reload();
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
});
afterAll(async () => {
  await sut?.stop();
});

function codeCall(target: string, port: number, from: string, code: string, scenario: string) {
  return runSipp({
    scenario,
    target,
    localPort: port,
    mediaPort: port + 1100,
    service: code,
    vars: { caller: from },
    timeoutSec: 40,
  });
}

describe('supervision feature codes', () => {
  it('joins a live call by *1 (listen) from the supervisor’s phone only', async () => {
    const target = `127.0.0.1:${sut.sipPort}`;
    const pAgent = await freeSipPort();
    const pSup = pAgent + 4;
    const pCaller = pAgent + 8;
    const pOther = pAgent + 12;
    await sippRegister(target, pAgent, '1004', 'demo1234');
    await sippRegister(target, pSup, '1900', 'demo1234');
    await sippRegister(target, pOther, '1005', 'demo1234');
    const desk = await agentDesk(sut, '1004');
    const phone = agentPhone(target, pAgent);
    const caller = waitingCaller(target, pCaller, '13800000003');
    await desk.api.json('PUT', '/api/agent/state', { state: 'ready' });
    const callId = await connectedCall(desk);

    // An agent's phone may not listen in; nobody is on a call at 1006.
    const refused = await codeCall(target, pOther, '1005', '*11004', 'caller-rejected-403.xml').done;
    expect(refused.code, refused.output.slice(-2000)).toBe(0);
    const notOnCall = await codeCall(target, pSup, '1900', '*11006', 'caller-rejected-404.xml').done;
    expect(notOnCall.code, notOnCall.output.slice(-2000)).toBe(0);

    const listen = codeCall(target, pSup, '1900', '*11004', 'call-waits-for-bye.xml');
    const partiesOf = async () =>
      (
        await sup.json<{ callId: string; parties: { role: string; mode: string | null }[] }[]>(
          'GET',
          '/api/supervisor/calls',
        )
      )
        .find((c) => c.callId === callId)
        ?.parties.filter((p) => p.role === 'supervisor')
        .map((p) => p.mode);
    await expect.poll(partiesOf, { timeout: 15_000 }).toEqual(['listen']);

    expect(
      (await sup.request('POST', `/api/supervisor/calls/${encodeURIComponent(callId)}/release`)).status,
    ).toBe(204);
    const [c, p, l] = await Promise.all([caller.done, phone.done, listen.done]);
    expect(c.code, `CALLER ${c.output.slice(-3000)}`).toBe(0);
    expect(p.code, `PHONE ${p.output.slice(-3000)}`).toBe(0);
    expect(l.code, `LISTEN ${l.output.slice(-3000)}`).toBe(0);

    const admin = new ApiClient(sut.baseUrl);
    await admin.login('admin');
    const log = await admin.json<{ items: { action: string; username: string; detail: { via?: string } }[] }>(
      'GET',
      `/api/audit?target=${encodeURIComponent(callId)}`,
    );
    expect(log.items.find((e) => e.action === 'supervisor.listen')).toMatchObject({
      username: 'sup1900',
      detail: { via: 'feature_code' },
    });
    desk.ws.close();
    await sippRegister(target, pAgent, '1004', 'demo1234', 0);
    await sippRegister(target, pSup, '1900', 'demo1234', 0);
    await sippRegister(target, pOther, '1005', 'demo1234', 0);
  }, 120_000);
});
