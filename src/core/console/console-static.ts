import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the server itself answers; the console never shadows them (nor anything under them). */
export const SERVER_PATHS = ['/graphql', '/health', '/ready'] as const;

const isServerPath = (path: string) => SERVER_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * Serves the built web console (admin-ui/dist) at `/` on the API's port. Its
 * files are served as they are (hashed assets cached for a year, index.html
 * never, so a new build shows at once); any other GET that asks for HTML and
 * is not a server path gets index.html, so the console's own routes
 * (/customers/123) survive a reload. Without a build, `/` says how to make one.
 */
export function installConsole(app: NestExpressApplication, dir: string, logger = new Logger('Console')): void {
  const index = join(dir, 'index.html');
  const built = existsSync(index);
  if (built) {
    app.useStaticAssets(dir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res: Response, file: string) => {
        if (file.includes(`${join(dir, 'assets')}`))
          res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  } else {
    logger.warn(`web console not built (no ${index}): run "npm run build --workspace admin-ui" or "npm start"`);
  }
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isServerPath(req.path) || !req.accepts('html'))
      return next();
    // A missing asset is a 404, not the app (a stale tab asking for an old chunk must fail visibly).
    if (req.path.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(req.path)) return next();
    if (!built) {
      res
        .status(503)
        .type('text/plain')
        .send('The web console is not built: run "npm start" (or "npm run build --workspace admin-ui").\n');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}
