/** Reads the finished calls that went through a flow in a period, for its metrics (issue #5). */
import { and, gte, lt, ne, or, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../store/index.ts';
import { computeFlowMetrics, type FlowMetrics } from '../ivr/flow-metrics.ts';

const { cdrs } = tables;

export class FlowMetricsRepository {
  constructor(private readonly db: Db) {}

  async metrics(flowId: string, from: Date, to: Date, version: number | null = null): Promise<FlowMetrics> {
    const rows = await this.db
      .select({
        ivrFlowId: cdrs.ivrFlowId,
        ivrFlowVersion: cdrs.ivrFlowVersion,
        ivrPath: cdrs.ivrPath,
        hangupBy: cdrs.hangupBy,
      })
      .from(cdrs)
      .where(
        and(
          gte(cdrs.offeredAt, from),
          lt(cdrs.offeredAt, to),
          ne(cdrs.disposition, 'in_progress'),
          or(
            eq(cdrs.ivrFlowId, flowId),
            // A flow an agent transferred the call to tags its steps with its id.
            sql`${cdrs.ivrPath} @> ${JSON.stringify([{ flow: flowId }])}::jsonb`,
          ),
        ),
      );
    return computeFlowMetrics(rows, flowId, version);
  }
}
