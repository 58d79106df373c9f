/** The workers' queues for operators (GET /admin/queues): counts and failed jobs, ids only. */

export interface FailedJob {
  id: string | undefined;
  name: string;
  attemptsMade: number;
  failedReason: string | null;
  finishedOn: string | null;
}

export interface QueueState {
  name: string;
  counts: Record<string, number>;
  failed: FailedJob[];
}

export interface QueueOverview {
  queues: QueueState[];
  /**
   * Reporter rows still waiting for the placement pass five minutes or more after their batch's release
   * (docs/architecture.md "Placement"): a count only, never which cases; 0 when all is well.
   */
  placementOverdue: number;
}

/** 201 from POST /admin/queues/:queue/jobs/:id/retry */
export interface JobRetried {
  id: string | undefined;
  retried: boolean;
}
