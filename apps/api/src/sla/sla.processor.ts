import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QueueName } from '../queues/queue-names';
import { type SlaTimer, SlaService } from './sla.service';

/** Thin: a fired timer goes to SlaService.fire, which re-checks the case (docs/conventions.md §5). */
@Processor(QueueName.Sla)
export class SlaProcessor extends WorkerHost {
  constructor(private readonly sla: SlaService) {
    super();
  }

  process(job: Job<SlaTimer>) {
    return this.sla.fire(job.data);
  }
}
