import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A naming after intake, waiting for the person who confirms it (libs/domain namings.ts): the people it
 * names are frozen when it is made. The reason is case content, encrypted in case_items.
 */
@Entity({ name: 'case_naming_requests' })
export class NamingRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ name: 'requester_id', type: 'uuid' })
  requesterId!: string;

  @Column({ type: 'uuid', array: true })
  people!: string[];

  /** The role named, when a role was named (its holders then are `people`). */
  @Column({ type: 'text', nullable: true })
  role!: string | null;

  /** Who was to confirm it when it was made (re-decided when it is confirmed). */
  @Column({ name: 'decider_id', type: 'uuid', nullable: true })
  deciderId!: string | null;

  /** Whether the decider was given the case to decide (the overseer was named; they did not hold it). */
  @Column({ name: 'decider_given_case', type: 'boolean', default: false })
  deciderGivenCase!: boolean;

  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'confirmed' | 'rejected';

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'requested_on', type: 'date', insert: false })
  requestedOn!: string;

  @Column({ name: 'decided_on', type: 'date', nullable: true })
  decidedOn!: string | null;
}

/** A handler's request to close a case short of the overseer's own decision, and the overseer's answer. */
@Entity({ name: 'case_closure_requests' })
export class ClosureRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ name: 'requester_id', type: 'uuid' })
  requesterId!: string;

  @Column({ type: 'text' })
  outcome!: string;

  /** 'used' once the closing it agreed to has been made. */
  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'agreed' | 'refused' | 'used';

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'requested_on', type: 'date', insert: false })
  requestedOn!: string;

  @Column({ name: 'decided_on', type: 'date', nullable: true })
  decidedOn!: string | null;
}
