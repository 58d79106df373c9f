import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CasesModule } from '../cases/cases.module';
import { MailService } from '../notifications/mail.service';
import { StaffRecoveryService } from './staff-recovery.service';
import { StaffController } from './staff.controller';

@Module({
  imports: [AuthModule, CasesModule, AuditModule],
  controllers: [StaffController],
  providers: [StaffRecoveryService, MailService],
})
export class StaffModule {}
