import { Module } from '@nestjs/common';
import { AbuseModule } from '../abuse/abuse.module';
import { ProofOfWorkService } from '../abuse/proof-of-work.service';
import { ReceiptSignInThrottle } from '../abuse/receipt-throttle';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AttachmentSanitiser } from '../attachments/attachment-sanitiser.service';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CasesModule } from '../cases/cases.module';
import { ReporterAuthGuard } from '../reporter/reporter-auth.guard';
import { ReporterController } from '../reporter/reporter.controller';
import { ReceiptThrottle, ReporterService } from '../reporter/reporter.service';
import { ReporterSessionStore } from '../reporter/reporter-session-store';
import { IntakeController } from './intake.controller';
import { FileSanitiser, HumanCheck, IntakeService } from './intake.service';
import { RecordedReportsController } from './recorded-reports.controller';

/** Intake and the reporter's follow-up, bound to the proof-of-work and attachment modules' services. */
@Module({
  imports: [AuthModule, CasesModule, AuditModule, AbuseModule, AttachmentsModule],
  controllers: [IntakeController, RecordedReportsController, ReporterController],
  providers: [
    IntakeService,
    ReporterService,
    ReporterSessionStore,
    ReporterAuthGuard,
    { provide: HumanCheck, useExisting: ProofOfWorkService },
    { provide: ReceiptThrottle, useExisting: ReceiptSignInThrottle },
    { provide: FileSanitiser, useExisting: AttachmentSanitiser },
  ],
})
export class IntakeModule {}
