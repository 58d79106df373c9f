import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { OutboxRepository } from '../outbox/outbox.repository';
import { CaseAccessService } from './case-access.service';
import { CaseLinksController } from './case-links.controller';
import { CaseStoreService } from './case-store.service';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { IdentityService } from './identity.service';
import { LinksService } from './links.service';
import { RecusalService } from './recusal.service';
import { ReporterMessages } from './reporter-messages';
import { TransitionsService } from './transitions.service';

@Module({
  imports: [AuthModule, AuditModule],
  controllers: [CasesController, CaseLinksController],
  providers: [
    CasesService,
    TransitionsService,
    RecusalService,
    IdentityService,
    ReporterMessages,
    CasesRepository,
    CaseStoreService,
    CaseAccessService,
    LinksService,
    OutboxRepository,
  ],
  exports: [CaseStoreService, CasesRepository, OutboxRepository, CaseAccessService],
})
export class CasesModule {}
