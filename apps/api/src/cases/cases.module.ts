import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { OutboxRepository } from '../outbox/outbox.repository';
import { AssignmentController } from './http/assignment.controller';
import { CaseDoor } from './access/case-door';
import { AssignService } from './commands/assign.service';
import { ConfirmOwnershipService } from './commands/confirm-ownership.service';
import { LegalHoldService } from './commands/legal-hold.service';
import { CaseAccessService } from './access/case-access.service';
import { CaseContentController } from './http/case-content.controller';
import { CaseLinksController, InvolvementController } from './http/case-links.controller';
import { CaseFilesService } from './reads/case-files.service';
import { CaseStoreService } from './store/case-store.service';
import { CasesController } from './http/cases.controller';
import { CasesRepository } from './store/cases.repository';
import { MessageService } from './commands/message.service';
import { CasesService } from './reads/cases.service';
import { FeedbackService } from './commands/feedback.service';
import { IdentityRequestService } from './commands/identity-request.service';
import { IdentityDecisionService } from './commands/identity-decision.service';
import { IdentityCustodyService } from './commands/identity-custody.service';
import { IdentityRequestsService } from './reads/identity-requests.service';
import { ReporterIdentityService } from './reads/reporter-identity.service';
import { InvolvementService } from './commands/involvement.service';
import { ClosureRequestService } from './commands/closure-request.service';
import { ClosureRequestsController } from './http/closure-requests.controller';
import { LinksService } from './commands/links.service';
import { NoteService } from './commands/note.service';
import { EvidenceService } from './commands/evidence.service';
import { RecusalService } from './commands/recusal.service';
import { CaseRecorder } from './record/case-recorder';
import { ItemSeal } from './record/item-seal';
import { TenantSigningKeys } from '../tenants/tenant-signing-keys';
import { TimelineService } from './reads/timeline.service';
import { TransitionsService } from './commands/transitions.service';
import { AssigneesController } from './http/assignees.controller';
import { AssigneesService } from './reads/assignees.service';
import { StaffRepliesController } from './http/staff-replies.controller';
import { StaffRepliesService } from './commands/staff-replies.service';
import { CaseReadsRepository } from './store/case-reads.repository';
import { RecommendationsController } from './http/recommendations.controller';
import { RecommendationService } from './commands/recommendation.service';
import { RecommendationsService } from './reads/recommendations.service';

@Module({
  imports: [AuthModule, AuditModule, AttachmentsModule],
  controllers: [
    CasesController,
    AssignmentController,
    CaseContentController,
    CaseLinksController,
    InvolvementController,
    ClosureRequestsController,
    AssigneesController,
    StaffRepliesController,
    RecommendationsController,
  ],
  providers: [
    CaseDoor,
    CasesService,
    RecommendationService,
    RecommendationsService,
    MessageService,
    FeedbackService,
    NoteService,
    EvidenceService,
    CaseFilesService,
    TimelineService,
    TransitionsService,
    RecusalService,
    IdentityRequestService,
    IdentityDecisionService,
    IdentityCustodyService,
    IdentityRequestsService,
    ReporterIdentityService,
    CaseRecorder,
    ItemSeal,
    TenantSigningKeys,
    CasesRepository,
    CaseStoreService,
    CaseAccessService,
    AssignService,
    ConfirmOwnershipService,
    LegalHoldService,
    LinksService,
    InvolvementService,
    ClosureRequestService,
    OutboxRepository,
    CaseReadsRepository,
    AssigneesService,
    StaffRepliesService,
  ],
  exports: [
    CaseRecorder,
    ItemSeal,
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
