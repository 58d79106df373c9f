import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { OutboxRepository } from '../outbox/outbox.repository';
import { AssigneesController } from './assignees.controller';
import { AssigneesService } from './assignees.service';
import { StaffRepliesController } from './staff-replies.controller';
import { StaffRepliesService } from './staff-replies.service';
import { AssignmentController } from './assignment.controller';
import { CaseDoor } from './access/case-door';
import { AssignmentService } from './assignment.service';
import { CaseAccessService } from './case-access.service';
import { CaseContentController } from './case-content.controller';
import { CaseLinksController, InvolvementController } from './case-links.controller';
import { CaseFilesService } from './case-files.service';
import { CaseStoreService } from './case-store.service';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CaseReadsRepository } from './case-reads.repository';
import { CasesService } from './cases.service';
import { FeedbackService } from './feedback.service';
import { IdentityService } from './identity.service';
import { InvolvementService } from './involvement.service';
import { LinksService } from './links.service';
import { NotesService } from './notes.service';
import { RecusalService } from './recusal.service';
import { ReporterMessages } from './reporter-messages';
import { TimelineService } from './timeline.service';
import { TransitionsService } from './transitions.service';

@Module({
  imports: [AuthModule, AuditModule, AttachmentsModule],
  controllers: [
    CasesController,
    AssignmentController,
    AssigneesController,
    StaffRepliesController,
    CaseContentController,
    CaseLinksController,
    InvolvementController,
  ],
  providers: [
    CaseDoor,
    CasesService,
    FeedbackService,
    NotesService,
    CaseFilesService,
    TimelineService,
    TransitionsService,
    RecusalService,
    IdentityService,
    ReporterMessages,
    CasesRepository,
    CaseReadsRepository,
    CaseStoreService,
    CaseAccessService,
    AssignmentService,
    AssigneesService,
    StaffRepliesService,
    LinksService,
    InvolvementService,
    OutboxRepository,
  ],
  exports: [
    CaseDoor,
    CaseStoreService,
    CasesRepository,
    OutboxRepository,
    CaseAccessService,
    CaseFilesService,
    TimelineService,
    InvolvementService,
    LinksService,
  ],
})
export class CasesModule {}
