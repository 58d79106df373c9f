import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { AuditRepository } from './audit.repository';
import { AUDIT_CHAIN_KEY, AuditService } from './audit.service';

/**
 * The audit trail. Feature modules import this and call `AuditService.append` with their own
 * transaction's manager; the monitoring officer's route over `listForCase` lives with the cases module.
 */
@Module({
  providers: [
    AuditRepository,
    AuditService,
    AuditCheckpoints,
    // The chain's key from the configuration (which requires AUDIT_KEY); optional only so that a module
    // compiled alone in a unit test, without the configuration, still starts.
    {
      provide: AUDIT_CHAIN_KEY,
      useFactory: (config?: AppConfig) => config?.auditKey,
      inject: [{ token: APP_CONFIG, optional: true }],
    },
  ],
  exports: [AuditService, AuditRepository, AuditCheckpoints],
})
export class AuditModule {}
