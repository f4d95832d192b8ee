/**
 * The customer's timeline (CRM-13): one line per thing that happened with the customer, whoever
 * caused it — an IVR self-service session, a voicemail, a message sent, a call. Modules append;
 * the CRM reads newest first.
 */
import { notFound } from '../../shared/index.ts';
import type { Db } from '../../store/index.ts';
import { TimelineRepository, type TimelineKind } from './timeline.repository.ts';
import type { TimelinePage, TimelineQuery } from './timeline.schemas.ts';

export interface TimelineEntryInput {
  customerId: string;
  kind: TimelineKind;
  refId?: string | null;
  title: string;
  detail?: Record<string, unknown>;
  occurredAt?: Date;
}

/** What other modules get to write with (the call path, messaging). */
export interface TimelineWriter {
  append(entry: TimelineEntryInput): Promise<string>;
}

export class TimelineService implements TimelineWriter {
  private readonly repo: TimelineRepository;

  constructor(db: Db) {
    this.repo = new TimelineRepository(db);
  }

  append(entry: TimelineEntryInput): Promise<string> {
    return this.repo.insert({
      customerId: entry.customerId,
      kind: entry.kind,
      refId: entry.refId ?? null,
      title: entry.title,
      detail: entry.detail ?? {},
      occurredAt: entry.occurredAt ?? new Date(),
    });
  }

  /** Newest first; not_found when there is no such customer. */
  async list(customerId: string, query: TimelineQuery): Promise<TimelinePage> {
    if (!(await this.repo.customerExists(customerId))) throw notFound(`customer ${customerId}`);
    const { rows, total } = await this.repo.page(customerId, query.kind, query.limit, query.offset);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        customerId: r.customerId,
        kind: r.kind,
        refId: r.refId,
        title: r.title,
        detail: (r.detail ?? {}) as Record<string, unknown>,
        occurredAt: r.occurredAt.toISOString(),
      })),
    };
  }
}
