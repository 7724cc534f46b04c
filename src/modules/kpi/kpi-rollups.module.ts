import { Module } from '@nestjs/common';
import { KpiRollupsRepository } from './repositories/kpi-rollups.repository';
import { KpiRollupsService } from './services/kpi-rollups.service';

/**
 * The rollups alone (no dashboard, resolvers or live updates): KpiModule
 * builds on it, and the import commands' module graphs register its hooks on
 * the owners they write through, so imported relations and messages count in
 * the same transactions as on the API.
 */
@Module({
  providers: [KpiRollupsRepository, KpiRollupsService],
  exports: [KpiRollupsService],
})
export class KpiRollupsModule {}
