import { Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/**
 * The audit trail. Feature modules import this and call `AuditService.append` with their own
 * transaction's manager; the monitoring officer's route over `listForCase` lives with the cases module.
 */
@Module({
  providers: [AuditRepository, AuditService],
  exports: [AuditService, AuditRepository],
})
export class AuditModule {}
