/** Runs SIPp (Debian `sip-tester`) as a real SIP peer against the switch on loopback. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const scenarioDir = fileURLToPath(new URL('../sip/', import.meta.url));

export interface SippRun {
  done: Promise<{ code: number | null; output: string }>;
  kill(): void;
}

export function runSipp(options: {
  scenario: string;
  target: string;
  localPort: number;
  mediaPort?: number;
  service?: string;
  /** Substituted as [name] in messages (sipp -key). */
  vars?: Record<string, string | number>;
  /** Global scenario variables, e.g. pause lengths (sipp -set). */
  globals?: Record<string, number>;
  calls?: number;
  auth?: { user: string; password: string };
  timeoutSec?: number;
  transport?: 'u1' | 't1';
  /** Further SIPp options, e.g. ['-trace_msg', '-message_file', path] to keep every message. */
  extraArgs?: string[];
}): SippRun {
  const args = [
    '-sf',
    `${scenarioDir}${options.scenario}`,
    '-i',
    '127.0.0.1',
    '-p',
    String(options.localPort),
    '-m',
    String(options.calls ?? 1),
    '-t',
    options.transport ?? 'u1',
    '-timeout',
    `${options.timeoutSec ?? 60}s`,
    '-timeout_error',
    '-nostdin',
    '-bg',
  ];
  args.splice(args.indexOf('-bg'), 1);
  if (options.mediaPort) args.push('-mp', String(options.mediaPort), '-mi', '127.0.0.1');
  if (options.service) args.push('-s', options.service);
  if (options.auth) args.push('-au', options.auth.user, '-ap', options.auth.password);
  for (const [k, v] of Object.entries(options.vars ?? {})) args.push('-key', k, String(v));
  for (const [k, v] of Object.entries(options.globals ?? {})) args.push('-set', k, String(v));
  args.push(...(options.extraArgs ?? []));
  args.push(options.target);
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-20000);
  });
  child.stderr.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-20000);
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, output }));
  });
  return { done, kill: () => child.kill('SIGTERM') };
}

/** Registers (or with expires 0, unregisters) an extension with digest auth from `localPort`. */
export async function sippRegister(
  target: string,
  localPort: number,
  ext: string,
  password: string,
  expires = 300,
): Promise<void> {
  const r = await runSipp({
    scenario: 'register.xml',
    target,
    localPort,
    vars: { ext, expires },
    auth: { user: ext, password },
    timeoutSec: 15,
  }).done;
  if (r.code !== 0)
    throw new Error(`SIPp REGISTER of ${ext} failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
}
