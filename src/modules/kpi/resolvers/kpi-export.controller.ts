import { Controller, Get, Inject, Logger, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isUUID } from 'class-validator';
import { pipeline } from 'node:stream/promises';
import { PRINCIPAL_RESOLVER, PrincipalResolver } from 'src/core/authz/principal-resolver';
import { AppError } from 'src/core/errors/app-error';
import { ISO_DATE_MESSAGE, isIsoDate } from 'src/core/validation/calendar';
import { KpiExportRepository, EXPORT_ORDER } from 'src/modules/kpi/repositories/kpi-export.repository';
import { KpiDashboardService, MAX_KPI_DAYS } from 'src/modules/kpi/services/kpi-dashboard.service';
import { datesBetween } from 'src/modules/kpi/services/kpi-math';

const HTTP_STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

/** The query's parameters, each given at most once (`?to=a&to=b` arrives as an array): BAD_USER_INPUT otherwise. */
function singleValues(query: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string') throw AppError.badInput(key.slice(0, 64), 'must be given once, as text');
    out[key] = value;
  }
  return out;
}

/**
 * GET /kpi/ranking.csv?from=&to=[&departmentId=][&employeeIds=a,b][&orderBy=NEW_CUSTOMERS][&direction=DESC]:
 * kpiDashboard's byEmployee ranking of a range as CSV, every covered employee, streamed from PostgreSQL.
 * A session or an API key (Authorization: Bearer) with kpi:read, the same scope as the dashboard; errors are
 * shaped like GraphQL's, with the contract's codes.
 */
@Controller('kpi')
export class KpiExportController {
  private readonly logger = new Logger('KpiExport');

  constructor(
    @Inject(PRINCIPAL_RESOLVER) private readonly principals: PrincipalResolver,
    private readonly dashboards: KpiDashboardService,
    private readonly exports: KpiExportRepository,
  ) {}

  @Get('ranking.csv')
  async ranking(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const refuse = (e: AppError) =>
      res.status(HTTP_STATUS[e.code] ?? 400).json({ errors: [{ message: e.message, extensions: { code: e.code } }] });
    try {
      const actor = await this.principals.resolve(req.headers.authorization);
      if (!actor) throw AppError.unauthenticated();
      const q = singleValues(query);
      const { from, to } = q;
      for (const [field, v] of [['from', from], ['to', to]] as const)
        if (!isIsoDate(v)) throw AppError.badInput(field, ISO_DATE_MESSAGE);
      const days = datesBetween(from!, to!).length;
      if (!days) throw AppError.badInput('to', `must be on or after from (${from})`);
      if (days > MAX_KPI_DAYS) throw AppError.badInput('to', `the range may cover at most ${MAX_KPI_DAYS} days`);
      const orderBy = q.orderBy ?? 'NEW_CUSTOMERS';
      if (!EXPORT_ORDER[orderBy])
        throw AppError.badInput('orderBy', `must be one of ${Object.keys(EXPORT_ORDER).join(', ')}`);
      const direction = q.direction ?? 'DESC';
      if (direction !== 'ASC' && direction !== 'DESC') throw AppError.badInput('direction', 'must be ASC or DESC');
      if (q.departmentId && !isUUID(q.departmentId, 'all'))
        throw AppError.badInput('departmentId', 'must be a department id');
      const employeeIds = q.employeeIds ? q.employeeIds.split(',').map((s) => s.trim()) : null;
      if (employeeIds?.some((id) => !isUUID(id, 'all'))) throw AppError.badInput('employeeIds', 'must be employee ids');
      const { filter } = await this.dashboards.coverage(actor, q.departmentId, employeeIds);
      const { stream, release } = await this.exports.rankingCsv(
        actor.orgId,
        from!,
        to!,
        filter,
        orderBy,
        direction === 'DESC',
      );
      res.status(200);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="kpi-ranking-${from}-${to}.csv"`);
      let failed = false;
      try {
        await pipeline(stream, res);
      } catch (e) {
        // Headers are sent: a failure mid-stream (or the client leaving) can only cut the response short.
        failed = true;
        this.logger.warn({ msg: 'KPI export stopped', orgId: actor.orgId, error: (e as Error).message });
        res.destroy();
      } finally {
        release(failed);
      }
    } catch (e) {
      if (e instanceof AppError && !res.headersSent) return refuse(e);
      throw e;
    }
  }
}
