import { Module } from '@nestjs/common';
import { AbuseModule } from '../abuse/abuse.module';
import { ProofOfWorkService } from '../abuse/proof-of-work.service';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AttachmentSanitiser } from '../attachments/attachment-sanitiser.service';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { CasesModule } from '../cases/cases.module';
import { IntakeController } from './intake.controller';
import { FileSanitiser, HumanCheck, IntakeService } from './intake.service';
import { RecordedReportsController } from './recorded-reports.controller';

/** Intake (the web form and reports recorded by staff), bound to the proof-of-work and attachment modules' services. */
@Module({
  imports: [AuthModule, CasesModule, AuditModule, AbuseModule, AttachmentsModule],
  controllers: [IntakeController, RecordedReportsController],
  providers: [
    IntakeService,
    { provide: HumanCheck, useExisting: ProofOfWorkService },
    { provide: FileSanitiser, useExisting: AttachmentSanitiser },
  ],
  exports: [IntakeService, HumanCheck, FileSanitiser],
})
export class IntakeModule {}
