/** Every BullMQ queue, named once (docs/conventions.md §5). Job data carries ids only, never case content. */
export enum QueueName {
  /** Housekeeping: worker heartbeat, later audit-chain checkpoints and retention sweeps. */
  System = 'system',
  /** Case events relayed from the outbox (case created, message added, transitioned): ids only. */
  CaseEvents = 'case-events',
  /** SLA timers: delayed jobs that re-check the case when they fire. */
  Sla = 'sla',
}

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

export const WORKER_HEARTBEAT_KEY = 'worker:heartbeat';
