// First: libraries read NODE_ENV when they load.
import './core/node-env';
import { describeError, StartError } from './core/errors/start-error';
import { bootstrapProcess } from './process';

const USAGE = `usage: node dist/src/cli.js <command>

commands:
  start        API and worker in one process (the embedded default; seeds the demo on first start)
  api          API process only
  worker       worker process only
  import-customers --org <slug> --employee <email|externalId|id> --file <customers.csv> [--dry-run] [--report <rejected.csv>]
               CSV import of customers for an employee (--help for details)
  import-chat --org <slug> --file <archive.jsonl> [--source <name>] [--batch-size <n>]
               import of WeCom's decrypted chat archive, resumable (--help for details)
  kpi-rebuild --org <slug> [--from YYYY-MM-DD] [--to YYYY-MM-DD]
               recomputes KPI rollups from raw rows (--help for details)
`;

async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  switch (command) {
    case 'start':
      return bootstrapProcess({
        api: true,
        worker: true,
        afterStart: async (app, config, url) => {
          const { seedDemoOnFirstStart } = await import('./demo/seed-demo.js').catch(() => ({
            seedDemoOnFirstStart: undefined,
          }));
          // A stop signal during the seed waits for it (bootstrapProcess), so the demo is never left half-made.
          if (seedDemoOnFirstStart && config.seedDemo) await seedDemoOnFirstStart(app, url);
        },
      });
    case 'api':
      return bootstrapProcess({ api: true, worker: false });
    case 'worker':
      return bootstrapProcess({ api: false, worker: true });
    case 'import-customers':
      return (await import('./cli/import-customers.command.js')).importCustomersCommand(argv.slice(1));
    case 'import-chat':
      return (await import('./cli/import-chat.command.js')).importChatCommand(argv.slice(1));
    case 'kpi-rebuild':
      return (await import('./cli/kpi-rebuild.command.js')).kpiRebuildCommand(argv.slice(1));
    default:
      process.stdout.write(USAGE);
      process.exit(command ? 2 : 0);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error && !(e instanceof StartError) && e.stack ? e.stack : describeError(e)}\n`);
  process.exit(1);
});
