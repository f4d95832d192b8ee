/**
 * The composition root: opens the database, seeds a demo on an empty one, builds the contact
 * center, starts the SIP switch and media engine, and serves HTTP. Only this file knows every
 * module (DESIGN §1 dependency rule).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ContactCenter } from '../calls/index.ts';
import { IvrServices } from '../calls/ivr-services.ts';
import { TimelineService } from '../crm/timeline/index.ts';
import { MessagingService } from '../messaging/index.ts';
import { TrunkStore } from '../calls/trunks.ts';
import { dialRoleOf } from '../calls/dial-policy.ts';
import type { Config } from '../cli/config.ts';
import { DEMO_HOTLINE, seedDemo } from '../cli/demo-seed.ts';
import { CustomerService, normalizePhone } from '../crm/index.ts';
import { CtiHub } from '../cti/index.ts';
import { AuditLog } from '../audit/index.ts';
import {
  DirectoryRepository,
  IvrFlowRepository,
  IvrFlowService,
  RoutingRulesRepository,
  SkillGroupRepository,
} from '../directory/index.ts';
import { createLogger, systemClock, type Logger } from '../shared/index.ts';
import { IvrShipments, ShipmentRepository } from '../shipments/index.ts';
import { BranchRepository, IvrLogistics, RoadConditionRepository } from '../logistics/index.ts';
import { routeDataSources } from '../ivr/data-source-router.ts';
import { openDatabase, type Database } from '../store/index.ts';
import { SipSwitch } from '../telephony/index.ts';
import { PocketsphinxRecognizer } from '../telephony/speech/index.ts';
import { createTextToSpeech } from '../telephony/speech/tts-config.ts';
import { buildApp } from './app.ts';

export interface RunningSystem {
  config: Config;
  logger: Logger;
  database: Database;
  center: ContactCenter;
  http: FastifyInstance;
  sipSwitch: SipSwitch;
  /** The HTTP port actually bound (PORT=0 picks a free one). */
  httpPort: number;
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function ensureWebBuilt(logger: Logger): string | null {
  const dist = join(repoRoot, 'web', 'dist');
  if (existsSync(join(dist, 'index.html'))) return dist;
  if (!existsSync(join(repoRoot, 'web', 'vite.config.ts'))) return null;
  logger.info('building the web UI once (web/dist)…');
  const r = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    logger.error('web UI build failed; the API still runs');
    return null;
  }
  return dist;
}

export async function startSystem(config: Config, options: { quiet?: boolean } = {}): Promise<RunningSystem> {
  const logger = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: join(config.dataDir, 'pg'),
    onIdleError: (err) => logger.warn({ err: err.message }, 'database connection closed by the server'),
  });
  const directory = new DirectoryRepository(database.db);
  let seeded = false;
  if (config.seedDemo && (await directory.countUsers()) === 0) {
    await seedDemo(database.db, config.demoPassword);
    seeded = true;
  }
  const customers = new CustomerService(database.db);
  const cti = new CtiHub();
  const tts = createTextToSpeech(join(config.dataDir, 'prompts'), config.tts);
  const recordingsDir = join(config.dataDir, 'recordings');
  mkdirSync(recordingsDir, { recursive: true });
  const routingRules = new RoutingRulesRepository(database.db);
  // Issue #5: self-service replies through the messaging interface land on the customer's timeline.
  const timeline = new TimelineService(database.db);
  const messaging = MessagingService.fromConfig(database.db, config.messaging, {
    log: logger.child({ mod: 'messaging' }),
    onSent: async (m) => {
      await timeline.append({
        customerId: m.customerId,
        kind: 'message',
        refId: m.id,
        title: `${m.channel.toUpperCase()} sent${m.subject ? `: ${m.subject}` : ''}`,
        detail: { channel: m.channel, callId: m.callId, body: m.body },
      });
    },
  });
  const ivrServices = new IvrServices({
    db: database.db,
    messaging,
    timeline,
    recordingsDir,
    // The contact center exists by the time a caller can leave a voicemail.
    createCallbackTask: async (t): Promise<{ id: string }> =>
      center.work.create({ channel: 'task', ...t }, null),
    log: logger.child({ mod: 'ivr' }),
  });
  const auditLog = new AuditLog(database.db, logger.child({ mod: 'audit' }));
  // Trunks and outbound routes (issue #4): read now, pushed into the switch once it runs.
  const trunkStore = new TrunkStore(database.db);
  await trunkStore.load();
  const shipmentData = new IvrShipments(new ShipmentRepository(database.db), customers);
  const logisticsData = new IvrLogistics(
    new RoadConditionRepository(database.db),
    new BranchRepository(database.db),
  );
  const ivrData = routeDataSources({
    waybill: shipmentData,
    caller_shipments: shipmentData,
    road_conditions: logisticsData,
    branches: logisticsData,
  });
  const center = new ContactCenter({
    audit: auditLog,
    db: database.db,
    directory,
    routingRules,
    customers,
    cti,
    tts,
    // IVR-04: asr nodes; without pocketsphinx installed each one falls back to the keypad.
    asr: new PocketsphinxRecognizer({ workDir: join(config.dataDir, 'asr') }),
    // IVR-02: lookup nodes read shipments (by waybill, or the identified caller's latest), road
    // conditions and branches; test calls in the flow editor read the same sources.
    ivrData,
    ivrServices,
    logger,
    clock: systemClock,
    recordingsDir,
    // Queued callback needs a way out: SIP_TRUNK or a stored route (checked at each call).
    callbackEnabled: () => config.sipTrunk !== null || trunkStore.hasRoutes,
    callback: { attempts: config.callbackAttempts, retrySeconds: config.callbackRetrySeconds },
  });
  await center.load();

  const sipSwitch = await SipSwitch.start(
    {
      sipHost: config.sipHost,
      sipPort: config.sipPort,
      sipWsPort: config.sipWsPort,
      sipWssPort: config.sipWssPort,
      sipTlsPort: config.sipTlsPort,
      sipTlsCredentials: config.sipTlsCredentials,
      publicAddress: config.publicAddress,
      rtpPortMin: config.rtpPortMin,
      rtpPortMax: config.rtpPortMax,
      mediaWorkers: config.mediaWorkers,
      credentials: (user) => directory.sipPassword(user),
      trunk: config.sipTrunk,
      normalizeNumber: (n) => normalizePhone(n)?.e164 ?? null,
      security: { maxAuthFailures: config.sipAuthMaxFailures, lockoutMs: config.sipLockoutSeconds * 1000 },
      logger: logger.child({ mod: 'switch' }),
    },
    center,
  );
  center.attachSwitch(sipSwitch);
  // Trunks: from here on every admin change reaches the running switch (routing, registration).
  trunkStore.onChange((trunks, routes) => sipSwitch.setTrunks(trunks, routes));
  await trunkStore.load();
  center.startMetricsFeed();
  center.startAcdClock();

  center.startMaintenance(
    3_600_000,
    (r) => void auditLog.record({ actor: null, action: 'recording.purge', target: 'recordings', detail: r }),
  );

  const webDir = ensureWebBuilt(logger);
  const http = await buildApp({
    database,
    directory,
    customers,
    cdrs: center.cdrs,
    cti,
    desk: center,
    acd: center,
    work: center.work,
    calls: {
      liveCalls: () => center.liveCalls(),
      channelCounts: () => center.channelCounts(),
      callOf: (agentId, callId) => center.callOf(agentId, callId),
      liveCall: (callId) => center.liveCall(callId),
      resolveTarget: (role, callId, target) => center.resolveTarget(dialRoleOf(role), callId, target),
      handOff: (agentId, callId, to) => center.handOff(agentId, callId, to),
      forceRelease: (callId, by) => center.forceRelease(callId, by),
      forceState: (agentId, state, reason) => center.forceState(agentId, state, reason),
      isRegistered: (extension) => sipSwitch.isRegistered(extension),
    },
    blacklist: center.blacklist,
    dialPolicy: center.dialPolicy,
    numberPlan: center.numberPlan,
    recordings: {
      get current() {
        return center.recordingPolicy.current;
      },
      save: (policy, userId) => center.recordingPolicy.save(policy, userId),
      purge: () => center.purgeRecordings(),
    },
    audit: auditLog,
    skillGroups: new SkillGroupRepository(database.db),
    routingRules,
    ivrData,
    flows: new IvrFlowService({
      repository: new IvrFlowRepository(database.db),
      groupNames: async () => (await directory.skillGroups()).map((g) => g.name),
    }),
    trunks: {
      listTrunks: () => trunkStore.listTrunks(),
      createTrunk: (input) => trunkStore.createTrunk(input),
      updateTrunk: (id, input) => trunkStore.updateTrunk(id, input),
      removeTrunk: (id) => trunkStore.removeTrunk(id),
      listRoutes: () => trunkStore.listRoutes(),
      createRoute: (input) => trunkStore.createRoute(input),
      updateRoute: (id, input) => trunkStore.updateRoute(id, input),
      removeRoute: (id) => trunkStore.removeRoute(id),
      monitor: () => sipSwitch.trunkMonitor(),
    },
    telephonyUp: () => sipSwitch.listening,
    recordingsDir,
    webDir,
    logger,
  });
  await http.listen({ host: config.host, port: config.port });
  const address = http.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : config.port;

  if (!options.quiet) {
    const web = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${httpPort}`;
    const lines = [
      '',
      `Switchyard is running.`,
      `  Web UI and API   ${web}   (API description: ${web}/api/openapi.json)`,
      `  SIP switch       ${config.publicAddress}:${sipSwitch.port} (UDP and TCP), RTP ports ${config.rtpPortMin}-${config.rtpPortMax}`,
      `  Database         ${database.kind === 'pglite' ? `embedded PGlite in ${join(config.dataDir, 'pg')}` : 'PostgreSQL server (DATABASE_URL)'}`,
      '',
      seeded || config.seedDemo
        ? [
            `Demo accounts (password "${config.demoPassword}" for all, web and SIP):`,
            `  admin, supervisor, and agents 1001 … 1010 (the username is the extension)`,
            `Register a SIP phone: user 1001, password ${config.demoPassword}, domain/registrar ${config.publicAddress}:${sipSwitch.port}`,
            `  e.g. baresip:  sip:1001@${config.publicAddress}:${sipSwitch.port};auth_pass=${config.demoPassword}`,
            `Then log in as 1001 at ${web}, click 就绪 (Ready), and call ${DEMO_HOTLINE} from any SIP client; press 0 for an agent.`,
          ].join('\n')
        : 'Create the first administrator with: npx switchyard init --username NAME --password PASS',
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }

  return {
    config,
    logger,
    database,
    center,
    http,
    sipSwitch,
    httpPort,
    stop: async () => {
      await center.shutdown();
      await http.close();
      await sipSwitch.stop();
      await messaging.close();
      await database.close();
    },
  };
}
