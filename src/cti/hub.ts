import type { CtiAudience, CtiEvent, CtiEventMap, CtiEventType } from './events.ts';

export type CtiListener = (event: CtiEvent) => void;

interface Subscription {
  /** null: a supervisor view that hears every agent. */
  agentId: string | null;
  listener: CtiListener;
}

/** Fan-out of CTI events to subscribers; a slow or failing listener never blocks the others. */
export class CtiHub {
  private readonly subs = new Set<Subscription>();

  subscribe(agentId: string | null, listener: CtiListener): () => void {
    const sub = { agentId, listener };
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  publish<K extends CtiEventType>(type: K, data: CtiEventMap[K], audience: CtiAudience): void {
    const event = { type, data, at: new Date().toISOString() } as CtiEvent;
    for (const sub of this.subs) {
      if (sub.agentId !== null && sub.agentId !== audience.agentId) continue;
      try {
        sub.listener(event);
      } catch {
        // A broken socket is the WebSocket layer's to clean up; the rest still hear the event.
      }
    }
  }

  get subscriberCount(): number {
    return this.subs.size;
  }
}
