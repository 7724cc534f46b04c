// First: libraries read NODE_ENV when they load.
import './core/node-env';
import { Logger } from '@nestjs/common';
import { bootstrapProcess } from './process';

/** Worker process: job handlers and schedulers, no HTTP. */
bootstrapProcess({ api: false, worker: true }).catch((e) => {
  new Logger('Worker').error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
