import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { TenantSigningKeys } from '../tenants/tenant-signing-keys';
import { AdminPolicyService } from './admin-policy.service';
import { AdminReporterBatchService } from './admin-reporter-batch.service';
import { AdminRoutingService } from './admin-routing.service';
import { AdminUsersService } from './admin-users.service';
import { AdminController } from './admin.controller';
import { AdministratorGuard } from './administrator.guard';

/** The administrators' API: users and roles, role holders, conflict routes, policies in force. */
@Module({
  imports: [AuthModule, AuditModule, AttachmentsModule],
  controllers: [AdminController],
  providers: [
    AdminUsersService,
    AdminRoutingService,
    AdminPolicyService,
    AdminReporterBatchService,
    AdministratorGuard,
    TenantSigningKeys,
  ],
})
export class AdminModule {}
