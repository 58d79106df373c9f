import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CasesModule } from '../cases/cases.module';
import { SigningKeyController } from '../tenants/signing-key.controller';
import { TenantSigningKeys } from '../tenants/tenant-signing-keys';
import { ExportsController } from './exports.controller';
import { ExportBudget } from './export-budget';
import { ExportsService } from './exports.service';

/** Case exports (issue #7) and the council's published export signing key. */
@Module({
  imports: [AuthModule, CasesModule, AuditModule],
  controllers: [ExportsController, SigningKeyController],
  providers: [
    ExportsService,
    TenantSigningKeys,
    { provide: ExportBudget, useFactory: () => new ExportBudget() },
  ],
})
export class ExportsModule {}
