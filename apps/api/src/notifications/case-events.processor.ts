import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { CaseEventJob } from '../outbox/outbox-relay.service';
import { QueueName } from '../queues/queue-names';
import { type NotificationOutcome, NotificationsService } from './notifications.service';

/** Thin: hands each relayed case event to the notifications service (CONVENTIONS §5). */
@Processor(QueueName.CaseEvents)
export class CaseEventsProcessor extends WorkerHost {
  constructor(private readonly notifications: NotificationsService) {
    super();
  }

  process(job: Job<CaseEventJob>): Promise<NotificationOutcome> {
    return this.notifications.handle(job.name, job.data);
  }
}
