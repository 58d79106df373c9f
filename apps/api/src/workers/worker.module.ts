import { Module } from '@nestjs/common';
import { CoreModule } from '../app/core.module';
import { QueuesModule } from '../queues/queues.module';
import { CaseEventsProcessor } from '../notifications/case-events.processor';
import { MailService } from '../notifications/mail.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { AuditModule } from '../audit/audit.module';
import { SlaProcessor } from '../sla/sla.processor';
import { SlaReconciler } from '../sla/sla-reconciler';
import { SlaService } from '../sla/sla.service';
import { RetentionService } from '../retention/retention.service';
import { HeldAuditRelease } from './held-audit-release';
import { JobSchedulers } from './job-schedulers';
import { OutboxRelayRunner } from './outbox-relay.runner';
import { RedisRecoveryRunner } from './redis-recovery.runner';
import { SystemProcessor } from './system.processor';

export { HEARTBEAT_EVERY_MS } from './job-schedulers';

/**
 * The workers' entry module: the same core modules as the API, plus the BullMQ processors. The job
 * schedulers and the SLA timers are (re)built from Postgres by RedisRecoveryRunner, at start and
 * whenever Redis may have lost them.
 */
@Module({
  imports: [CoreModule, QueuesModule, AuditModule],
  providers: [
    SystemProcessor,
    OutboxRelay,
    OutboxRelayRunner,
    HeldAuditRelease,
    MailService,
    NotificationsService,
    CaseEventsProcessor,
    SlaService,
    SlaProcessor,
    SlaReconciler,
    JobSchedulers,
    RedisRecoveryRunner,
    RetentionService,
  ],
})
export class WorkerModule {}
