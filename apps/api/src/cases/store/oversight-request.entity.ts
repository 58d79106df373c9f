import { Column, Entity } from 'typeorm';
import { CaseRequestColumns } from './case-request.columns';

/**
 * A naming after intake, waiting for the person who confirms it (libs/domain namings.ts): the people it
 * names are frozen when it is made. The reason is case content, encrypted in case_items.
 */
@Entity({ name: 'case_naming_requests' })
export class NamingRequestEntity extends CaseRequestColumns {
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
}

/** A handler's request to close a case short of the overseer's own decision, and the overseer's answer. */
@Entity({ name: 'case_closure_requests' })
export class ClosureRequestEntity extends CaseRequestColumns {
  @Column({ type: 'text' })
  outcome!: string;

  /** 'used' once the closing it agreed to has been made. */
  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'agreed' | 'refused' | 'used';
}
