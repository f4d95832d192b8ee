/**
 * The whole system (contact center, IVR flows, CRM lookup, CDRs in an in-memory PGlite database,
 * demo data) as a measured process for the IVR call-setup steps of `npm run bench -- media`:
 * callers dial the demo hotline from loopback (never rate-limited) and sit in its menu. Same IPC protocol as switch-host.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/cli/config.ts';
import { startSystem } from '../../src/server/system.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-system-'));
const system = await startSystem(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SIP_HOST: '127.0.0.1',
    SIP_PORT: process.env.BENCH_SIP_PORT,
    RTP_PORTS: process.env.BENCH_RTP_PORTS,
    SWITCHYARD_DATA: dataDir,
    DATABASE_URL: 'memory://',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
  }),
  { quiet: true },
);

process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') process.send?.({ type: 'stats', activeCalls: system.center.sessionCount });
  if (m.type === 'stop') {
    void system
      .stop()
      .catch(() => undefined)
      .finally(() => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
  }
});
process.send?.({ type: 'ready', sipPort: system.sipSwitch.port });
