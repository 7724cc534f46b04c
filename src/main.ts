// First: libraries read NODE_ENV when they load.
import './core/node-env';
import { Logger } from '@nestjs/common';
import { bootstrapProcess } from './process';

/** API process: GraphQL and health. Never runs job handlers. */
bootstrapProcess({ api: true, worker: false }).catch((e) => {
  new Logger('Main').error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
