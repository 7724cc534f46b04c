import { Controller, Get, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { DatabaseConnectionInfo } from '../database/database-connection';

/** Something /ready should check besides the database (the queue registers one). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<Record<string, unknown> & { ok: boolean }>;
}
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

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

  /** Readiness: the database answers, and every registered dependency (the queue backend). */
  @Get('ready')
  async ready(@Res() res: Response) {
    const report: Record<string, unknown> = {};
    let ok = true;
    try {
      await this.db.query('SELECT 1');
      report.database = { ok: true, embedded: this.dbInfo.embedded };
    } catch (e) {
      ok = false;
      report.database = { ok: false, error: (e as Error).message };
    }
    for (const c of this.checks ?? []) {
      try {
        const r = await c.check();
        report[c.name] = r;
        ok &&= r.ok;
      } catch (e) {
        ok = false;
        report[c.name] = { ok: false, error: (e as Error).message };
      }
    }
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: ok ? 'ready' : 'not ready', ...report });
  }
}
