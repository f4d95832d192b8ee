/**
 * `switchyard staffing` — agents needed for a service-level target (Erlang C, or Erlang A with
 * --patience), or an interval plan from a forecast file (ANA-05).
 */
import { readFileSync } from 'node:fs';
import {
  StaffingUnreachableError,
  intervalPlan,
  requiredAgents,
  type ForecastInterval,
  type IntervalPlan,
  type StaffingResult,
  type StaffingTarget,
} from '../acd/erlang/index.ts';
import {
  FlagError,
  numberFlag,
  parseCommandFlags,
  percent,
  requiredNumberFlag,
  seconds,
  toJson,
  withFlagErrors,
  type FlagValues,
} from './command-flags.ts';

export const staffingUsage = `Usage: switchyard staffing --calls-per-hour L --aht SECONDS [options]
  --calls-per-hour L     offered calls per hour                       呼叫量/小时
  --aht SECONDS          average handle time                          平均处理时长
  --target-sl F          service-level target as a fraction (default 0.8)
  --sl-seconds T         answered within T seconds (default 20)
  --patience SECONDS     mean caller patience: Erlang A instead of Erlang C
  --max-asa SECONDS      also keep the average speed of answer at most this
  --max-abandon F        also keep abandonment at most this fraction (with --patience)
  --forecast FILE        JSON [{"start": "09:00", "callsPerInterval": 120}, …]: an interval plan
  --interval-minutes M   forecast interval length (default 30)
  --shrinkage F          fraction of paid time off the phones, for the plan (default 0)
  --json                 print JSON
`;

const options = {
  'calls-per-hour': { type: 'string' },
  aht: { type: 'string' },
  'target-sl': { type: 'string' },
  'sl-seconds': { type: 'string' },
  patience: { type: 'string' },
  'max-asa': { type: 'string' },
  'max-abandon': { type: 'string' },
  forecast: { type: 'string' },
  'interval-minutes': { type: 'string' },
  shrinkage: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function runStaffingCommand(argv: string[]): number {
  return withFlagErrors('staffing', staffingUsage, () => {
    const values = parseCommandFlags(argv, options);
    if (values.help) {
      process.stdout.write(staffingUsage);
      return 0;
    }
    const target = readTarget(values);
    const forecastPath = values.forecast;
    try {
      if (typeof forecastPath === 'string') {
        const plan = intervalPlan({
          ...target,
          intervals: readForecast(forecastPath),
          intervalMinutes: numberFlag(values, 'interval-minutes', { min: 0, exclusiveMin: true }) ?? 30,
          shrinkage: numberFlag(values, 'shrinkage', { min: 0, max: 1, exclusiveMax: true }) ?? 0,
        });
        process.stdout.write(values.json ? `${toJson(plan)}\n` : describePlan(plan, target));
        return 0;
      }
      const callsPerHour = requiredNumberFlag(values, 'calls-per-hour', { min: 0 });
      const result = requiredAgents({ ...target, callsPerHour });
      process.stdout.write(
        values.json
          ? `${toJson(jsonResult(result, target, callsPerHour))}\n`
          : describe(result, target, callsPerHour),
      );
      return 0;
    } catch (err) {
      if (err instanceof StaffingUnreachableError) {
        process.stderr.write(`switchyard staffing: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  });
}

type TargetWithoutVolume = Omit<StaffingTarget, 'callsPerHour'>;

function readTarget(values: FlagValues): TargetWithoutVolume {
  const patienceSeconds = numberFlag(values, 'patience', { min: 0, exclusiveMin: true });
  const maxAbandonRate = numberFlag(values, 'max-abandon', { min: 0, max: 1 });
  if (maxAbandonRate !== undefined && patienceSeconds === undefined)
    throw new FlagError('--max-abandon', '--max-abandon needs --patience (Erlang C has no abandonment)');
  return {
    ahtSeconds: requiredNumberFlag(values, 'aht', { min: 0, exclusiveMin: true }),
    targetServiceLevel: numberFlag(values, 'target-sl', { min: 0, max: 1, exclusiveMax: true }) ?? 0.8,
    slSeconds: numberFlag(values, 'sl-seconds', { min: 0 }) ?? 20,
    patienceSeconds,
    maxAsaSeconds: numberFlag(values, 'max-asa', { min: 0 }),
    maxAbandonRate,
  };
}

function readForecast(path: string): ForecastInterval[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new FlagError(
      '--forecast',
      `--forecast ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!Array.isArray(parsed)) throw new FlagError('--forecast', '--forecast must hold a JSON array');
  return parsed.map((row: unknown, i): ForecastInterval => {
    const r = (row ?? {}) as { start?: unknown; callsPerInterval?: unknown };
    if (typeof r.callsPerInterval !== 'number' || !(r.callsPerInterval >= 0))
      throw new FlagError('--forecast', `--forecast row ${i}: callsPerInterval must be a number ≥ 0`);
    return { start: typeof r.start === 'string' ? r.start : String(i), callsPerInterval: r.callsPerInterval };
  });
}

function jsonResult(r: StaffingResult, t: TargetWithoutVolume, callsPerHour: number) {
  return {
    agents: r.agents,
    serviceLevel: r.serviceLevel,
    serviceLevelOffered: r.serviceLevelOffered,
    asa: r.asa,
    pWait: r.pWait,
    pAbandon: r.pAbandon,
    occupancy: r.occupancy,
    erlangs: r.erlangs,
    model: r.model,
    callsPerHour,
    ahtSeconds: t.ahtSeconds,
    slSeconds: t.slSeconds,
    targetServiceLevel: t.targetServiceLevel,
    /** The figure the target is checked against: abandoned calls count as missed. */
    targetMetric: 'serviceLevelOffered',
    patienceSeconds: t.patienceSeconds ?? null,
  };
}

function describe(r: StaffingResult, t: TargetWithoutVolume, callsPerHour: number): string {
  const model = r.model === 'erlang-a' ? `Erlang A, patience 耐心 ${t.patienceSeconds} s` : 'Erlang C';
  return [
    `Staffing 排班测算 (${model}): ${callsPerHour} calls/h 呼叫/小时 × AHT ${t.ahtSeconds} s = ${r.erlangs.toFixed(2)} Erl`,
    `  agents needed 所需坐席: ${r.agents}  (target 目标 ${percent(t.targetServiceLevel)} in ${t.slSeconds} s)`,
    `  service level 服务水平: ${percent(r.serviceLevel)} of answered 接通口径, ${percent(r.serviceLevelOffered)} of offered 呼入口径`,
    `  ASA 平均应答速度: ${seconds(r.asa)}   P(wait) 排队概率: ${percent(r.pWait)}`,
    `  abandoned 放弃率: ${percent(r.pAbandon)}   occupancy 占用率: ${percent(r.occupancy)}`,
    '',
  ].join('\n');
}

function describePlan(plan: IntervalPlan, t: TargetWithoutVolume): string {
  const lines = [
    `Interval plan 分时段排班 (target 目标 ${percent(t.targetServiceLevel)} in ${t.slSeconds} s, AHT ${t.ahtSeconds} s)`,
    '  start 时段      calls 呼叫   Erl     agents 坐席  scheduled 排班  SL 服务水平  ASA',
  ];
  for (const r of plan.rows)
    lines.push(
      `  ${r.start.padEnd(14)} ${String(r.callsPerInterval).padStart(8)} ${r.erlangs.toFixed(1).padStart(7)} ${String(r.agents).padStart(11)} ${String(r.scheduled).padStart(14)} ${percent(r.serviceLevelOffered).padStart(11)}  ${seconds(r.asa)}`,
    );
  lines.push(
    `  peak 峰值: ${plan.peakAgents} on phones 在线, ${plan.peakScheduled} scheduled 排班; ${plan.agentHours.toFixed(1)} agent-hours 人时 (${plan.scheduledHours.toFixed(1)} scheduled)`,
    '',
  );
  return lines.join('\n');
}
