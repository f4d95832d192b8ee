/** Small builders shared by the ACD engine tests. */
import type { AcdEngineOptions } from './acd-core.ts';
import { AcdEngine } from './acd-engine.ts';
import type { MembershipInput } from './agent-record.ts';

export interface AgentSpec {
  id: string;
  groups?: MembershipInput[];
  /** Becomes ready (and reachable) at this time; omitted: stays logged out. */
  readyAt?: number;
  priority?: number;
  weight?: number;
}

export function engineWith(agents: AgentSpec[], options: AcdEngineOptions = {}): AcdEngine {
  const e = new AcdEngine(options);
  for (const a of agents) {
    e.addAgent(
      {
        id: a.id,
        extension: `ext-${a.id}`,
        groups: a.groups ?? [{ name: 'g', level: 1 }],
        priority: a.priority,
        weight: a.weight,
      },
      0,
    );
    if (a.readyAt !== undefined) {
      e.setReachable(a.id, true);
      e.transition(a.id, 'ready', null, a.readyAt);
    }
  }
  return e;
}

/** Answer, hang up and come straight back: the agent is ready again at `at`. */
export function handleAndReturn(e: AcdEngine, agentId: string, at: number): void {
  e.offerAnswered(agentId, at);
  e.transition(agentId, 'ready', null, at);
}
