import { Column, Entity, Index, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';
import type { AuditActorType } from './audit-chain';

/** `bigint` arrives from pg as a string; a tenant's trail will never pass 2^53 entries. */
export const BIGINT_AS_NUMBER: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * One link of a tenant's append-only, hash-chained audit trail (see audit-chain.ts). The table refuses
 * UPDATE and DELETE by trigger and the app role may only SELECT and INSERT. `case_id` has no foreign
 * key so a crypto-shredded case keeps its trail; `actor_id` is a staff user's id or null, never
 * anything that identifies a reporter.
 */
@Entity({ name: 'audit_entries' })
@Index(['tenantId', 'seq'], { unique: true })
@Index('audit_entries_tenant_case_idx', ['tenantId', 'caseId', 'seq'], { where: 'case_id IS NOT NULL' })
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'bigint', transformer: BIGINT_AS_NUMBER })
  seq!: number;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: AuditActorType;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  /**
   * Small, non-content metadata only: ids, codes, counts. Never case text. Typed loosely because it
   * is read back from jsonb (and TypeORM's find types cannot recurse through AuditDetails).
   */
  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;

  /**
   * The case items this entry records, its own item first (CaseRecorder); null for entries that record
   * no content (reads, grants, routing). Not part of the hash: see AuditEvent.itemIds.
   */
  @Column({ name: 'item_ids', type: 'uuid', array: true, nullable: true })
  itemIds!: string[] | null;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}
