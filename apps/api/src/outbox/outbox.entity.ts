import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CaseEventAction } from '../cases/record/case-events';

/**
 * The transactional outbox (docs/architecture.md "The flow of a report"): every state change writes its event
 * here in the same transaction; a relay moves unsent rows to BullMQ with the row id as the job id. Payloads
 * carry ids only, never case content.
 */
@Entity({ name: 'outbox' })
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  event!: string;

  @Column({ name: 'aggregate_id', type: 'uuid' })
  aggregateId!: string;

  @Column({ type: 'jsonb', default: {} })
  payload!: Record<string, string | number | boolean | null>;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /**
   * For a reporter-caused row, the batch boundary before which the relay leaves it alone; its `sent_at`
   * is then this time (docs/architecture.md "Reporter time"). Null: relayed at once.
   */
  @Column({ name: 'release_at', type: 'timestamptz', nullable: true })
  releaseAt!: Date | null;
}

/**
 * Every case event the recorder writes signals the workers under its audit action's name
 * (cases/record/case-events.ts); the workers act on the ones they know and skip the rest.
 */
export type OutboxEvent =
  | CaseEventAction
  | 'case.created'
  | 'case.message_added'
  | 'case.transitioned'
  /** Feedback was given to the reporter: the feedback clock's timers re-check (SlaService). */
  | 'case.feedback_given'
  /** Who may read the case changed (CaseAccessService): payload { reason, assigneeId, newGrantees, requestId? }. */
  | 'case.routed';
