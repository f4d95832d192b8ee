/**
 * `switchyard simulate` — run the ACD engine against generated calls and print service level,
 * ASA, P(wait), occupancy (issue #3). Deterministic for a given --seed.
 */
import { readFileSync } from 'node:fs';
import {
  batchHalfWidth,
  parseStrategyName,
  runSimulation,
  strategyNames,
  type ArrivalProcess,
  type SimulationConfig,
  type SimulationResult,
} from '../acd/simulator/index.ts';
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

export const simulateUsage = `Usage: switchyard simulate --agents N --calls-per-hour L --aht SECONDS [options]
  --agents N             agents on duty                                坐席数
  --calls-per-hour L     Poisson arrivals per hour                     呼叫量/小时
  --aht SECONDS          mean handle time                              平均处理时长
  --patience SECONDS     mean (exponential) caller patience; default: nobody abandons
  --strategy NAME        the group's distribution strategy (default longest_idle):
                         ${strategyNames.join(', ')}
  --hours H              hours of arrivals (default 8)
  --seed S               random seed (default 1)
  --sl-seconds T         service-level threshold (default 20)
  --warmup SECONDS       not counted at the start (default 10% of the run)
  --wrap-up SECONDS      after-call work per call (default 0)
  --handle-cv CV         lognormal handle times with this coefficient of variation (default: exponential)
  --profile FILE         JSON [{"start": "09:00", "callsPerInterval": 120}, …] instead of --calls-per-hour
  --interval-minutes M   profile interval length (default 30)
  --json                 print one JSON object
`;

const options = {
  agents: { type: 'string' },
  'calls-per-hour': { type: 'string' },
  aht: { type: 'string' },
  patience: { type: 'string' },
  strategy: { type: 'string' },
  hours: { type: 'string' },
  seed: { type: 'string' },
  'sl-seconds': { type: 'string' },
  warmup: { type: 'string' },
  'wrap-up': { type: 'string' },
  'handle-cv': { type: 'string' },
  profile: { type: 'string' },
  'interval-minutes': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function runSimulateCommand(argv: string[]): number {
  return withFlagErrors('simulate', simulateUsage, () => {
    const values = parseCommandFlags(argv, options);
    if (values.help) {
      process.stdout.write(simulateUsage);
      return 0;
    }
    const config = readConfig(values);
    const started = performance.now();
    const result = runSimulation(config);
    const wallSeconds = (performance.now() - started) / 1000;
    process.stdout.write(
      values.json ? `${toJson(jsonResult(result))}\n` : describe(result, config, wallSeconds),
    );
    return 0;
  });
}

function readConfig(values: FlagValues): SimulationConfig {
  const positive = { min: 0, exclusiveMin: true };
  const agents = requiredNumberFlag(values, 'agents', { min: 1, integer: true });
  const ahtSeconds = requiredNumberFlag(values, 'aht', positive);
  const handleCv = numberFlag(values, 'handle-cv', positive);
  let arrivals: ArrivalProcess;
  let hours = numberFlag(values, 'hours', positive);
  if (typeof values.profile === 'string') {
    const intervalSeconds = (numberFlag(values, 'interval-minutes', positive) ?? 30) * 60;
    const callsPerInterval = readProfile(values.profile);
    arrivals = { kind: 'profile', intervalSeconds, callsPerInterval };
    hours ??= (intervalSeconds * callsPerInterval.length) / 3600;
  } else {
    arrivals = { kind: 'poisson', callsPerHour: requiredNumberFlag(values, 'calls-per-hour', { min: 0 }) };
  }
  hours ??= 8;
  const warmupSeconds = numberFlag(values, 'warmup', { min: 0 });
  if (warmupSeconds !== undefined && warmupSeconds >= hours * 3600)
    throw new FlagError('--warmup', '--warmup must be shorter than the run (--hours)');
  const strategyFlag = values.strategy;
  const strategy = typeof strategyFlag === 'string' ? parseStrategyName(strategyFlag) : 'longest_idle';
  if (!strategy) throw new FlagError('--strategy', `--strategy must be one of ${strategyNames.join(', ')}`);
  return {
    agents,
    arrivals,
    handleTime:
      handleCv === undefined
        ? { kind: 'exponential', meanSeconds: ahtSeconds }
        : { kind: 'lognormal', meanSeconds: ahtSeconds, cv: handleCv },
    patienceSeconds: numberFlag(values, 'patience', positive),
    wrapUpSeconds: numberFlag(values, 'wrap-up', { min: 0 }) ?? 0,
    hours,
    warmupSeconds,
    slSeconds: numberFlag(values, 'sl-seconds', { min: 0 }) ?? 20,
    seed: numberFlag(values, 'seed', { min: 0, max: 0xffffffff, integer: true }) ?? 1,
    strategy,
  };
}

function readProfile(path: string): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new FlagError(
      '--profile',
      `--profile ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new FlagError('--profile', '--profile must hold a non-empty JSON array');
  return parsed.map((row: unknown, i) => {
    const calls = (row as { callsPerInterval?: unknown } | null)?.callsPerInterval;
    if (typeof calls !== 'number' || !(calls >= 0))
      throw new FlagError('--profile', `--profile row ${i}: callsPerInterval must be a number ≥ 0`);
    return calls;
  });
}

function jsonResult(r: SimulationResult) {
  const { batches, ...totals } = r;
  return {
    ...totals,
    /** 95% batch-means half-widths (20 batches). */
    halfWidth95: {
      serviceLevel: batchHalfWidth(batches, 'serviceLevel'),
      asa: batchHalfWidth(batches, 'asa'),
      pWait: batchHalfWidth(batches, 'pWait'),
      pAbandon: batchHalfWidth(batches, 'pAbandon'),
    },
  };
}

function describe(r: SimulationResult, c: SimulationConfig, wallSeconds: number): string {
  const volume =
    c.arrivals.kind === 'poisson'
      ? `${c.arrivals.callsPerHour} calls/h 呼叫/小时`
      : 'volume profile 分时段话务';
  const strategy =
    r.strategy.requested === r.strategy.applied
      ? r.strategy.applied
      : `${r.strategy.requested} → ${r.strategy.applied} (engine fallback 引擎回退)`;
  return [
    `Simulation 话务模拟: ${String(c.agents)} agents 坐席, ${volume}, AHT ${c.handleTime.meanSeconds} s, ${c.hours} h, seed ${r.seed}`,
    `  strategy 分配策略: ${strategy}; warm-up 预热 ${r.warmupSeconds.toFixed(0)} s not counted 不计入`,
    `  offered 呼入 ${r.offered}   answered 接通 ${r.answered}   abandoned 放弃 ${r.abandoned} (${percent(r.pAbandon)})` +
      (r.unresolved > 0 ? `   unresolved 未处理 ${r.unresolved}` : ''),
    `  service level 服务水平 (≤${r.slSeconds} s): ${percent(r.serviceLevel)} of answered 接通口径, ${percent(r.serviceLevelOffered)} of offered 呼入口径`,
    `  ASA 平均应答速度 ${seconds(r.asa)}   P(wait) 排队概率 ${percent(r.pWait)}   occupancy 占用率 ${percent(r.occupancy)}`,
    `  average handle 平均通话 ${seconds(r.averageHandleSeconds)}   longest wait 最长等待 ${seconds(r.maxWaitSeconds)}`,
    `  ${r.events} events in ${wallSeconds.toFixed(2)} s 耗时`,
    '',
  ].join('\n');
}
