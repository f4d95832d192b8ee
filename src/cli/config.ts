/**
 * Runtime configuration from the environment (PLT-04). Bad values fail at start with the variable
 * named, never later in a call.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTtsConfig, ttsConfigHelp, type TtsConfig } from '../telephony/speech/tts-config.ts';
import { loadMessagingConfig, messagingConfigHelp, type MessagingConfig } from '../messaging/index.ts';

export interface Config {
  host: string;
  port: number;
  sipHost: string;
  sipPort: number;
  /** Address written into SIP Contact/Via and SDP; what phones use to reach us. */
  publicAddress: string;
  rtpPortMin: number;
  rtpPortMax: number;
  /** Media worker threads; 'auto' = one per core, at most 4. */
  mediaWorkers: number | 'auto';
  dataDir: string;
  databaseUrl: string | undefined;
  demoPassword: string;
  seedDemo: boolean;
  logLevel: string;
  /** Outbound route for numbers that are not our extensions (callbacks), e.g. a PSTN gateway. */
  sipTrunk: { host: string; port: number; transport: 'udp' | 'tcp' } | null;
  /** Queued callback (ACD-06): attempts to reach the customer, and the pause between them. */
  callbackAttempts: number;
  callbackRetrySeconds: number;
  /** SIP lockout: failed authentications from one address within a minute (0: off), and for how long. */
  sipAuthMaxFailures: number;
  sipLockoutSeconds: number;
  /** Extra SIP transports (null: off): WebSocket (RFC 7118), and TLS / secure WebSocket with a certificate. */
  sipWsPort: number | null;
  sipWssPort: number | null;
  sipTlsPort: number | null;
  sipTlsCredentials: { cert: Buffer; key: Buffer } | null;
  /** Prompt speech engines (IVR-03). */
  tts: TtsConfig;
  /** SMS (SMPP), e-mail (SMTP) and fax gateways for self-service replies (issue #5). */
  messaging: MessagingConfig;
}

export const configHelp: [string, string, string][] = [
  ['PORT', '8080', 'HTTP port of the web UI, REST API and CTI WebSocket'],
  ['HOST', '127.0.0.1', 'HTTP listen address'],
  ['SIP_PORT', '5060', 'SIP port (UDP and TCP)'],
  ['SIP_HOST', '127.0.0.1', 'SIP listen address (0.0.0.0 for phones on the network)'],
  ['PUBLIC_ADDRESS', 'SIP_HOST, or 127.0.0.1', 'address phones reach the switch and its RTP on'],
  ['RTP_PORTS', '20000-20999', 'UDP port range for RTP/RTCP media'],
  [
    'MEDIA_WORKERS',
    'auto',
    'media worker threads sharing RTP, mixing and recording (auto: one per core, at most 4)',
  ],
  ['SWITCHYARD_DATA', './data', 'data directory: embedded database, recordings, prompt cache'],
  ['DATABASE_URL', '(embedded PGlite)', 'postgres://user@host:5432/db to use a PostgreSQL server'],
  ['SWITCHYARD_DEMO_PASSWORD', 'demo1234', 'password of every demo account, web and SIP'],
  ['SWITCHYARD_DEMO', '1', '0 to start an empty database without demo data'],
  [
    'SIP_TRUNK',
    '(none)',
    'host:port[;transport=tcp] of an IP-authenticated gateway for outside numbers no stored outbound route matches',
  ],
  ['SIP_WS_PORT', '(off)', 'SIP over WebSocket (RFC 7118) port, e.g. 8088'],
  ['SIP_WSS_PORT', '(off)', 'SIP over secure WebSocket port (needs SIP_TLS_CERT and SIP_TLS_KEY)'],
  ['SIP_TLS_PORT', '(off)', 'SIP over TLS port, e.g. 5061 (needs SIP_TLS_CERT and SIP_TLS_KEY)'],
  ['SIP_TLS_CERT', '(none)', 'PEM certificate chain file for SIP TLS and WSS'],
  ['SIP_TLS_KEY', '(none)', 'PEM private key file for SIP TLS and WSS'],
  ['CALLBACK_ATTEMPTS', '3', 'queued callback: attempts to reach the customer before giving up'],
  ['CALLBACK_RETRY_SECONDS', '60', 'queued callback: pause before the next attempt'],
  [
    'SIP_AUTH_MAX_FAILURES',
    '10',
    'failed SIP logins from one address within 60 s that lock it out (0: never)',
  ],
  ['SIP_LOCKOUT_SECONDS', '900', 'how long a locked-out address is ignored'],
  ['LOG_LEVEL', 'info', 'pino log level'],
  ...ttsConfigHelp,
  ...messagingConfigHelp,
];

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const rtp = (env.RTP_PORTS ?? '20000-20999').trim();
  const m = /^(\d+)-(\d+)$/.exec(rtp);
  if (!m) throw new Error(`RTP_PORTS must look like 20000-20999, got "${rtp}"`);
  const rtpPortMin = Number(m[1]);
  const rtpPortMax = Number(m[2]);
  if (rtpPortMin < 1024 || rtpPortMax > 65535 || rtpPortMax - rtpPortMin < 3) {
    throw new Error(`RTP_PORTS must be a range of at least 4 ports within 1024-65535, got "${rtp}"`);
  }
  const sipHost = env.SIP_HOST ?? '127.0.0.1';
  let sipTrunk: Config['sipTrunk'] = null;
  if (env.SIP_TRUNK) {
    const t = /^([A-Za-z0-9.-]+):(\d{1,5})(;transport=(udp|tcp))?$/i.exec(env.SIP_TRUNK.trim());
    if (!t || Number(t[2]) > 65535)
      throw new Error(
        `SIP_TRUNK must look like 10.0.0.5:5060 or gw.example.com:5060;transport=tcp, got "${env.SIP_TRUNK}"`,
      );
    sipTrunk = { host: t[1]!, port: Number(t[2]), transport: t[4]?.toLowerCase() === 'tcp' ? 'tcp' : 'udp' };
  }
  return {
    host: env.HOST ?? '127.0.0.1',
    port: int(env, 'PORT', 8080, 0, 65535),
    sipHost,
    sipPort: int(env, 'SIP_PORT', 5060, 0, 65535),
    publicAddress: env.PUBLIC_ADDRESS ?? (sipHost === '0.0.0.0' ? '127.0.0.1' : sipHost),
    rtpPortMin,
    rtpPortMax,
    mediaWorkers:
      (env.MEDIA_WORKERS ?? 'auto').trim() === 'auto' ? 'auto' : int(env, 'MEDIA_WORKERS', 1, 1, 16),
    dataDir: resolve(env.SWITCHYARD_DATA ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    demoPassword: env.SWITCHYARD_DEMO_PASSWORD || 'demo1234',
    seedDemo: env.SWITCHYARD_DEMO !== '0',
    logLevel: env.LOG_LEVEL ?? 'info',
    sipTrunk,
    callbackAttempts: int(env, 'CALLBACK_ATTEMPTS', 3, 1, 10),
    callbackRetrySeconds: int(env, 'CALLBACK_RETRY_SECONDS', 60, 1, 86_400),
    sipAuthMaxFailures: int(env, 'SIP_AUTH_MAX_FAILURES', 10, 0, 1000),
    sipLockoutSeconds: int(env, 'SIP_LOCKOUT_SECONDS', 900, 1, 7 * 86_400),
    ...sipTransports(env),
    tts: parseTtsConfig(env),
    messaging: loadMessagingConfig(env),
  };
}

function sipTransports(
  env: NodeJS.ProcessEnv,
): Pick<Config, 'sipWsPort' | 'sipWssPort' | 'sipTlsPort' | 'sipTlsCredentials'> {
  const port = (name: string) => (env[name] ? int(env, name, 0, 1, 65535) : null);
  const pem = (name: string): Buffer | null => {
    const path = env[name];
    if (!path) return null;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new Error(`${name}: cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  const cert = pem('SIP_TLS_CERT');
  const key = pem('SIP_TLS_KEY');
  if ((cert === null) !== (key === null))
    throw new Error('SIP_TLS_CERT and SIP_TLS_KEY must be set together');
  const sipTlsPort = port('SIP_TLS_PORT');
  const sipWssPort = port('SIP_WSS_PORT');
  if ((sipTlsPort !== null || sipWssPort !== null) && !cert)
    throw new Error('SIP_TLS_PORT and SIP_WSS_PORT need SIP_TLS_CERT and SIP_TLS_KEY');
  return {
    sipWsPort: port('SIP_WS_PORT'),
    sipWssPort,
    sipTlsPort,
    sipTlsCredentials: cert && key ? { cert, key } : null,
  };
}
