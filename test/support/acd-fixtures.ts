/** Shared set-up for the ACD acceptance suites: a second service number and agent desks. */
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { IvrFlowRepository } from '../../src/directory/index.ts';
import { demoHotlineFlow } from '../../src/ivr/index.ts';
import { tables } from '../../src/store/index.ts';
import { connectCti, type CtiMessage } from './cti.ts';
import { runSipp } from './sipp.ts';
import { ApiClient, type SystemUnderTest } from './system-under-test.ts';

export const VIP_LINE = '4008009999';

/**
 * A service number whose flow queues callers in the "vip" group: the flow is written and published
 * as version 1 (issue #5); service numbers have no API yet, so the number is inserted directly.
 */
export async function installVipLine(sut: SystemUnderTest): Promise<void> {
  const flows = new IvrFlowRepository(sut.system.database.db);
  const vipFlow = {
    ...demoHotlineFlow,
    name: 'VIP',
    nodes: { ...demoHotlineFlow.nodes, agent: { verb: 'queue', group: 'vip', priority: 0 } },
  };
  const created = await flows.createVersion(null, 'VIP', vipFlow, null);
  await flows.publish(created!.id, created!.version);
  await sut.system.database.db
    .insert(tables.serviceNumbers)
    .values({ number: VIP_LINE, name: '大客户专线', flowId: created!.id });
}

/** A service number whose flow queues callers in `group` at once, without a menu. */
export async function installDirectLine(sut: SystemUnderTest, number: string, group: string): Promise<void> {
  const name = `直线 ${group}`;
  const document = { name, start: 'agent', nodes: { agent: { verb: 'queue', group, priority: 0 } } };
  // Flows are versions (issue #5): calls run the published one.
  const flows = new IvrFlowRepository(sut.system.database.db);
  const { id: flowId, version } = (await flows.createVersion(null, name, document, null))!;
  await flows.publish(flowId, version);
  await sut.system.database.db.insert(tables.serviceNumbers).values({ number, name, flowId });
}

/** The id of the IVR flow a service number leads to (by default the demo hotline's, as seeded). */
export async function flowIdOf(sut: SystemUnderTest, number = '4008001000'): Promise<string> {
  const [row] = await sut.system.database.db
    .select({ flowId: tables.serviceNumbers.flowId })
    .from(tables.serviceNumbers)
    .where(eq(tables.serviceNumbers.number, number));
  if (!row) throw new Error(`no service number ${number}`);
  return row.flowId;
}

/** An agent logged in over REST with its CTI socket open. */
export async function agentDesk(sut: Pick<SystemUnderTest, 'baseUrl'>, ext: string) {
  const api = new ApiClient(sut.baseUrl);
  await api.login(ext);
  return { api, ...(await connectCti(api)) };
}

export interface AcdCdr {
  callId: string;
  queue: string | null;
  agent: string | null;
  disposition: string;
  dnis: string;
}

/** The newest CDR once it is answered (and is not `previousCallId`). */
export async function answeredCdr(api: ApiClient, previousCallId?: string): Promise<AcdCdr> {
  let cdr: AcdCdr | undefined;
  await expect
    .poll(async () => {
      cdr = (await api.json<AcdCdr[]>('GET', '/api/cdrs?limit=1'))[0];
      return cdr && cdr.callId !== previousCallId ? cdr.disposition : 'waiting';
    })
    .toBe('answered');
  return cdr!;
}

/** An agent's SIP phone played by SIPp at `port` (media at port + 1000). */
export function agentPhone(
  target: string,
  port: number,
  scenario = 'agent-answer.xml',
  vars: Record<string, string | number> = { answer_delay: 200 },
) {
  return runSipp({ scenario, target, localPort: port, mediaPort: port + 1000, vars });
}

/** A hotline caller who presses 0 for an agent and stays on the line until the switch hangs up. */
export function waitingCaller(target: string, port: number, caller: string, service = '4008001000') {
  return runSipp({
    scenario: 'caller-waits-for-bye.xml',
    target,
    localPort: port,
    mediaPort: port + 1100,
    service,
    vars: { caller },
    timeoutSec: 60,
  });
}

/** The id of the first call the desk saw answered. */
export async function connectedCall(desk: { events: CtiMessage[] }): Promise<string> {
  let callId = '';
  await expect
    .poll(
      () => {
        const answered = desk.events.find((e) => e.type === 'call.answered');
        callId = (answered?.data.callId as string | undefined) ?? '';
        return callId;
      },
      { timeout: 20_000 },
    )
    .not.toBe('');
  return callId;
}

/** The CDR of `callId` once the call is over. */
export async function finishedCdr<T extends { callId: string; disposition: string }>(
  api: ApiClient,
  callId: string,
): Promise<T> {
  let cdr: T | undefined;
  await expect
    .poll(async () => {
      cdr = (await api.json<T[]>('GET', '/api/cdrs?limit=20')).find((c) => c.callId === callId);
      return cdr?.disposition ?? 'in_progress';
    })
    .not.toBe('in_progress');
  return cdr!;
}
