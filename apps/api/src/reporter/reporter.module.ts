import { Module } from '@nestjs/common';
import { AbuseModule } from '../abuse/abuse.module';
import { ReceiptSignInThrottle } from '../abuse/receipt-throttle';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CasesModule } from '../cases/cases.module';
import { IntakeModule } from '../intake/intake.module';
import { ReporterAuthGuard } from './reporter-auth.guard';
import { ReporterController } from './reporter.controller';
import { ReporterKeysTouched } from './reporter-keys-touched';
import { ReceiptThrottle, ReporterService } from './reporter.service';
import { ReporterSessionStore } from './reporter-session-store';

/**
 * The reporter's follow-up with their receipt: sign-in, their case, messages, identity, naming people.
 * It uses intake's ports (the human check, the file sanitiser) through IntakeModule's exports.
 */
@Module({
  imports: [AuthModule, CasesModule, AuditModule, AbuseModule, AttachmentsModule, IntakeModule],
  controllers: [ReporterController],
  providers: [
    ReporterService,
    ReporterSessionStore,
    ReporterAuthGuard,
    ReporterKeysTouched,
    { provide: ReceiptThrottle, useExisting: ReceiptSignInThrottle },
  ],
})
export class ReporterModule {}
