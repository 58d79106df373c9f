import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import type { CaseEventJob } from '../outbox/outbox-relay.service';
import { QueueName } from '../queues/queue-names';
import { SlaService } from '../sla/sla.service';
import { type NotificationOutcome, NotificationsService } from './notifications.service';

/** Thin: hands each relayed case event to the notifications service (docs/conventions.md §5). */
// Several events at once: each waits mostly on Postgres and SMTP, and a job is still only ever run once
// (BullMQ's lock; the notifications table per recipient), as test/api/scale-out.e2e-spec.ts shows.
@Processor(QueueName.CaseEvents, { concurrency: 4 })
export class CaseEventsProcessor extends WorkerHost {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly sla: SlaService,
  ) {
    super();
  }

  async process(job: Job<CaseEventJob>): Promise<NotificationOutcome> {
    // A new case, a change of stage or feedback to the reporter (re)sets the case's SLA timers.
    // A routing change (an assignment, a transfer) starts or moves the "confirm ownership" clock.
    // A recommendation raised (or moved on) adds (or retires) its due-date reminder.
    if (
      job.name === 'case.created' ||
      job.name === 'case.transitioned' ||
      job.name === 'case.feedback_given' ||
      job.name === 'case.routed' ||
      job.name === 'case.recommendation_raised' ||
      job.name === 'case.recommendation_updated'
    )
      await this.sla.schedule(
        job.data.tenantId,
        job.data.caseId,
        job.data.batchTime ? new Date(job.data.batchTime) : undefined,
      );
    return this.notifications.handle(job.name, job.data);
  }
}
