export { ErlangBRecursion, erlangB, offeredLoad } from './erlang-b.ts';
export { erlangC, erlangCMetrics } from './erlang-c.ts';
export { erlangAMetrics } from './erlang-a.ts';
export type { ErlangAInput } from './erlang-a.ts';
export type { QueueInput, QueueMetrics } from './queue-metrics.ts';
export { StaffingUnreachableError, requiredAgents } from './staffing.ts';
export type { StaffingModel, StaffingResult, StaffingTarget } from './staffing.ts';
export { intervalPlan } from './interval-plan.ts';
export type { ForecastInterval, IntervalPlan, IntervalPlanInput, IntervalPlanRow } from './interval-plan.ts';
