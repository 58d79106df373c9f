import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { MailService } from '../notifications/mail.service';
import { TenantSigningKeys } from '../tenants/tenant-signing-keys';
import { AdminPolicyService } from './admin-policy.service';
import { AdminReporterBatchService } from './admin-reporter-batch.service';
import { AdminRoutingService } from './admin-routing.service';
import { AdminSlaController } from './admin-sla.controller';
import { AdminSlaService } from './admin-sla.service';
import { AdminUsersService } from './admin-users.service';
import { AdminController } from './admin.controller';
import { AdministratorGuard } from './administrator.guard';

/** The administrators' API: users and roles, role holders, conflict routes, policies in force. */
@Module({
  imports: [AuthModule, AuditModule, AttachmentsModule],
  controllers: [AdminController, AdminSlaController],
  providers: [
    AdminUsersService,
    AdminRoutingService,
    AdminPolicyService,
    AdminSlaService,
    AdminReporterBatchService,
    AdministratorGuard,
    TenantSigningKeys,
    MailService,
  ],
})
export class AdminModule {}
