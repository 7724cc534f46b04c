import { Module, OnModuleInit } from '@nestjs/common';
import { AuthModule } from 'src/modules/auth/auth.module';
import { ChatAuditModule } from 'src/modules/chat-audit/chat-audit.module';
import { ChatIngestService } from 'src/modules/chat-audit/services/chat-ingest.service';
import { CustomersModule } from 'src/modules/customers/customers.module';
import { CustomersService } from 'src/modules/customers/services/customers.service';
import { MomentsModule } from 'src/modules/moments/moments.module';
import { MomentsService } from 'src/modules/moments/services/moments.service';
import { OrgModule } from 'src/modules/org/org.module';
import { EmployeesService } from 'src/modules/org/services/employees.service';
import { ReassignmentModule } from 'src/modules/reassignment/reassignment.module';
import { ReassignmentService } from 'src/modules/reassignment/services/reassignment.service';
import { KpiDashboardRepository } from './repositories/kpi-dashboard.repository';
import { KpiRollupsModule } from './kpi-rollups.module';
import { KpiExportRepository } from './repositories/kpi-export.repository';
import { KpiExportController } from './resolvers/kpi-export.controller';
import { KpiResolver } from './resolvers/kpi.resolver';
import { KpiTargetsResolver } from './resolvers/kpi-targets.resolver';
import { KpiTargetsRepository } from './repositories/kpi-targets.repository';
import { KpiTargetsService } from './services/kpi-targets.service';
import { KpiDashboardService } from './services/kpi-dashboard.service';
import { KpiLiveService } from './services/kpi-live.service';
import { KpiRollupsService } from './services/kpi-rollups.service';

/**
 * KPI (DOMAIN.md "KPI"): rollups per (employee, day) kept by the owners' hooks in the transaction of each
 * change (messages, relations, transfers, moment tasks), a rebuild from raw rows, and the dashboard.
 */
@Module({
  imports: [
    OrgModule,
    CustomersModule,
    ChatAuditModule,
    MomentsModule,
    ReassignmentModule,
    AuthModule,
    KpiRollupsModule,
  ],
  controllers: [KpiExportController],
  providers: [
    KpiDashboardRepository,
    KpiExportRepository,
    KpiDashboardService,
    KpiLiveService,
    KpiResolver,
    KpiTargetsRepository,
    KpiTargetsService,
    KpiTargetsResolver,
  ],
  exports: [KpiRollupsModule],
})
export class KpiModule implements OnModuleInit {
  constructor(
    private readonly rollups: KpiRollupsService,
    private readonly chat: ChatIngestService,
    private readonly customers: CustomersService,
    private readonly moments: MomentsService,
    private readonly reassignment: ReassignmentService,
    private readonly employees: EmployeesService,
  ) {}

  onModuleInit(): void {
    this.chat.onMessagesStored((db, orgId, stored) => this.rollups.messagesStored(db, orgId, stored));
    this.customers.onRelationsChanged((tx, orgId, changes) => this.rollups.relationsChanged(tx, orgId, changes));
    this.moments.onTasksChanged((tx, changed) => this.rollups.ownerChanged(tx, 'momentTasks', changed));
    this.reassignment.onTransfersCompleted((tx, completed) => this.rollups.ownerChanged(tx, 'transfers', completed));
    this.employees.onDepartmentChanging((tx, orgId, employeeId, from, to) =>
      this.rollups.departmentChanging(tx, orgId, employeeId, from, to),
    );
  }
}
