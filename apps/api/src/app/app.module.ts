import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { AuthModule } from '../auth/auth.module';
import { CasesModule } from '../cases/cases.module';
import { ExportsModule } from '../exports/exports.module';
import { HealthModule } from '../health/health.module';
import { IntakeModule } from '../intake/intake.module';
import { OversightModule } from '../oversight/oversight.module';
import { OperationsModule } from '../operations/operations.module';
import { ReporterModule } from '../reporter/reporter.module';
import { StaffModule } from '../staff/staff.module';
import { CoreModule } from './core.module';
import { DashboardModule } from '../dashboard/dashboard.module';

@Module({
  imports: [
    CoreModule,
    HealthModule,
    AuthModule,
    CasesModule,
    StaffModule,
    IntakeModule,
    ReporterModule,
    OperationsModule,
    ExportsModule,
    AdminModule,
    OversightModule,
    DashboardModule,
  ],
})
export class AppModule {}
