import { InjectQueue } from '@nestjs/bullmq';
import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CoreModule } from '../app/core.module';
import { QueueName } from '../queues/queue-names';
import { QueuesModule } from '../queues/queues.module';
import { CaseEventsProcessor } from '../notifications/case-events.processor';
import { MailService } from '../notifications/mail.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { AuditModule } from '../audit/audit.module';
import { Clock, SystemClock } from '../sla/clock';
import { SlaProcessor } from '../sla/sla.processor';
import { SlaService } from '../sla/sla.service';
import { RetentionService } from '../retention/retention.service';
import { OutboxRelayRunner } from './outbox-relay.runner';
import { HEARTBEAT_JOB, RETENTION_JOB, SystemProcessor } from './system.processor';

export const HEARTBEAT_EVERY_MS = 30_000;

/** The workers' entry module: the same core modules as the API, plus the BullMQ processors. */
@Module({
  imports: [CoreModule, QueuesModule, AuditModule],
  providers: [
    SystemProcessor,
    OutboxRelay,
    OutboxRelayRunner,
    MailService,
    NotificationsService,
    CaseEventsProcessor,
    SlaService,
    SlaProcessor,
    RetentionService,
    { provide: Clock, useClass: SystemClock },
  ],
})
export class WorkerModule implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.System) private readonly systemQueue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    // Every night at 03:15: destroy closed cases past retention.
    await this.systemQueue.upsertJobScheduler(
      RETENTION_JOB,
      { pattern: '15 3 * * *' },
      { name: RETENTION_JOB },
    );
    await this.systemQueue.upsertJobScheduler(
      HEARTBEAT_JOB,
      { every: HEARTBEAT_EVERY_MS },
      {
        name: HEARTBEAT_JOB,
      },
    );
  }
}
