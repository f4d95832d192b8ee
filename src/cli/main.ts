/**
 * `switchyard start | init | help` — one command for every role (DESIGN §7 rule 9).
 */
import { parseArgs } from 'node:util';
import { configHelp, loadConfig } from './config.ts';

const usage = `Switchyard — contact center and CRM for logistics

Usage:
  switchyard start                 run everything: SIP switch, media, web UI, API (default)
  switchyard init --username NAME --password PASS
                                   create the first administrator in an empty production database
  switchyard simulate --agents N --calls-per-hour L --aht SECONDS [--patience S] [--hours H]
                   [--seed S] [--strategy NAME] [--sl-seconds T] [--json]
                                   simulate the ACD with generated calls (switchyard simulate --help)
  switchyard staffing --calls-per-hour L --aht SECONDS [--target-sl 0.8] [--sl-seconds 20]
                   [--patience S] [--forecast FILE] [--json]
                                   agents needed for a service level, Erlang C / Erlang A
  switchyard import customers FILE [--on-duplicate skip|update|create] [--dry-run] [--json]
                   [--username U --password P]
                                   import customers from .xlsx/.csv, through the running server's
                                   API or straight into the database (switchyard import --help)
  switchyard --help                this text

Environment:
${configHelp.map(([name, def, what]) => `  ${name.padEnd(26)} ${what} (default: ${def})`).join('\n')}
`;

async function main(argv: string[]): Promise<number> {
  // The calculators take their own flags, so they are dispatched before the server's parseArgs.
  if (argv[0] === 'simulate')
    return (await import('./simulate-command.ts')).runSimulateCommand(argv.slice(1));
  if (argv[0] === 'staffing')
    return (await import('./staffing-command.ts')).runStaffingCommand(argv.slice(1));
  if (argv[0] === 'import') return (await import('./import-command.ts')).runImportCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      username: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'start';
  if (values.help || command === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  const config = loadConfig();
  if (command === 'start') {
    const { startSystem } = await import('../server/system.ts');
    const system = await startSystem(config);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      system.logger.info({ signal }, 'stopping: draining live calls');
      void system.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    return -1;
  }
  if (command === 'init') {
    if (!values.username || !values.password || values.password.length < 8) {
      process.stderr.write('init needs --username NAME and --password PASS (at least 8 characters)\n');
      return 2;
    }
    const { openDatabase } = await import('../store/index.ts');
    const { DirectoryRepository } = await import('../directory/index.ts');
    const { createAdmin } = await import('./demo-seed.ts');
    const database = await openDatabase({ url: config.databaseUrl, dataDir: `${config.dataDir}/pg` });
    try {
      if ((await new DirectoryRepository(database.db).countUsers()) > 0) {
        process.stderr.write('the database already has users; init only creates the first administrator\n');
        return 1;
      }
      await createAdmin(database.db, values.username, values.password);
      process.stdout.write(`administrator "${values.username}" created\n`);
      return 0;
    } finally {
      await database.close();
    }
  }
  process.stderr.write(`unknown command "${command}"\n\n${usage}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`switchyard: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
