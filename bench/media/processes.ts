/** Child processes of the media benchmark and their CPU time, read from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLOCK_TICKS = 100;

/** Every child still running is killed when the benchmark exits, however it exits. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** User + system CPU seconds of a process (all its threads), from /proc/PID/stat. */
export function cpuSeconds(pid: number, file = `/proc/${pid}/stat`): number {
  const { user, system } = cpuTimes(file);
  return user + system;
}

/** User and system (kernel) CPU seconds from a /proc stat file. */
export function cpuTimes(file: string): { user: number; system: number } {
  const stat = readFileSync(file, 'latin1');
  // Fields after the command name in parentheses: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
}

/** CPU seconds per thread of a process (tid → seconds), from /proc/PID/task. */
export function threadCpuSeconds(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(Number(tid), cpuSeconds(Number(tid), `/proc/${pid}/task/${tid}/stat`));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

export interface SwitchHost {
  child: ChildProcess;
  pid: number;
  stats(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Starts switch-host.ts or system-host.ts and waits for it to listen. */
export async function startHost(
  name: 'switch-host' | 'system-host',
  env: Record<string, string>,
): Promise<SwitchHost> {
  const entry = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  // BENCH_HOST_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the switch.
  const extra = (process.env.BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`switch host exited (${code}) before it was ready`)));
    child.on('message', (m: { type: string }) => {
      if (m.type === 'ready') resolve();
    });
  });
  return {
    child,
    pid: child.pid!,
    stats: () =>
      new Promise((resolve) => {
        const listener = (m: { type: string } & Record<string, number>): void => {
          if (m.type !== 'stats') return;
          child.off('message', listener);
          resolve(m);
        };
        child.on('message', listener);
        child.send({ type: 'stats' });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}

export interface Rtpengine {
  pid: number;
  stop(): Promise<void>;
}

/** rtpengine in userspace mode (no kernel forwarding table), one ng control port. */
export async function startRtpengine(ngPort: number, ports: [number, number]): Promise<Rtpengine> {
  const child = spawn(
    'rtpengine',
    [
      '--config-file=none',
      '--table=-1',
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      `--port-min=${ports[0]}`,
      `--port-max=${ports[1]}`,
      '--foreground',
      '--log-stderr',
      '--log-level=3',
      '--timeout=600',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  track(child);
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  await new Promise((r) => setTimeout(r, 700));
  if (child.exitCode !== null) throw new Error(`rtpengine did not start: ${log}`);
  return {
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Runs SIPp to completion; resolves with its exit code, wall time and the last of its output. */
export function runSippToEnd(
  args: string[],
): Promise<{ code: number | null; seconds: number; output: string }> {
  const started = performance.now();
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => void (output = (output + d.toString()).slice(-6000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, seconds: (performance.now() - started) / 1000, output })),
  );
}
