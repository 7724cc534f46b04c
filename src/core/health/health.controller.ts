import { Controller, Get, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { DatabaseConnectionInfo } from 'src/core/database/database-connection';

/** Something /ready should check besides the database (the queue registers one). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<Record<string, unknown> & { ok: boolean }>;
}
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** The longest a readiness check may take before it counts as failed. */
const READY_CHECK_MS = 2000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

@Controller()
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly dbInfo: DatabaseConnectionInfo,
    @Optional() @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[] = [],
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers, and every registered dependency (the
   * queue backend), each within READY_CHECK_MS: a database that hangs makes
   * it 503 as fast as one that refuses.
   */
  @Get('ready')
  async ready(@Res() res: Response) {
    // At once, so that the answer comes within READY_CHECK_MS whatever hangs.
    const database = withTimeout(this.db.query('SELECT 1'), READY_CHECK_MS).then(
      () => ({ ok: true, embedded: this.dbInfo.embedded }),
      (e: Error) => ({ ok: false, error: e.message }),
    );
    const others = (this.checks ?? []).map((c) =>
      withTimeout(c.check(), READY_CHECK_MS).catch((e: Error) => ({ ok: false, error: e.message })),
    );
    const results = await Promise.all([database, ...others]);
    const report: Record<string, unknown> = { database: results[0] };
    (this.checks ?? []).forEach((c, i) => (report[c.name] = results[i + 1]));
    const ok = results.every((r) => r.ok);
    res
      .status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: ok ? 'ready' : 'not ready', ...report });
  }
}
