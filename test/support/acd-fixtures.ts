/** Shared set-up for the ACD acceptance suites: a second service number and agent desks. */
import { expect } from 'vitest';
import { demoHotlineFlow } from '../../src/ivr/index.ts';
import { newId, tables } from '../../src/store/index.ts';
import { connectCti } from './cti.ts';
import { ApiClient, type SystemUnderTest } from './system-under-test.ts';

export const VIP_LINE = '4008009999';

/** A service number whose flow queues callers in the "vip" group (flows get an API in issue #5). */
export async function installVipLine(sut: SystemUnderTest): Promise<void> {
  const flowId = newId('ivf');
  const vipFlow = {
    ...demoHotlineFlow,
    name: 'VIP',
    nodes: { ...demoHotlineFlow.nodes, agent: { verb: 'queue', group: 'vip', priority: 0 } },
  };
  await sut.system.database.db
    .insert(tables.ivrFlows)
    .values({ id: flowId, name: 'VIP', version: 1, document: vipFlow });
  await sut.system.database.db
    .insert(tables.serviceNumbers)
    .values({ number: VIP_LINE, name: '大客户专线', flowId });
}

/** An agent logged in over REST with its CTI socket open. */
export async function agentDesk(sut: SystemUnderTest, ext: string) {
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
