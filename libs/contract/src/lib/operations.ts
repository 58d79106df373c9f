/** The workers' queues for operators (GET /admin/queues): counts and failed jobs, ids only. */

export interface FailedJob {
  readonly id: string | undefined;
  readonly name: string;
  readonly attemptsMade: number;
  readonly failedReason: string | null;
  readonly finishedOn: string | null;
}

export interface QueueState {
  readonly name: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly failed: readonly FailedJob[];
}

export interface QueueOverview {
  readonly queues: readonly QueueState[];
}

/** 201 from POST /admin/queues/:queue/jobs/:id/retry */
export interface JobRetried {
  readonly id: string | undefined;
  readonly retried: boolean;
}
