import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { TenantsRepository } from '../tenants/tenants.repository';
import { DashboardController } from './dashboard.controller';
import { DashboardRepository } from './dashboard.repository';
import { DashboardService } from './dashboard.service';
import { ReportModes } from './report-modes';

/** The monitoring officer's dashboard and the annual report (issue #16; docs/dashboard.md). */
@Module({
  imports: [AuthModule, AuditModule],
  controllers: [DashboardController],
  providers: [DashboardService, DashboardRepository, TenantsRepository, ReportModes],
})
export class DashboardModule {}
