import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RecommendationStatus } from '@nolan/domain';

/**
 * A tracked recommendation's readable metadata (docs/case-core.md "Recommendations"). Its words and any
 * free-text owner are in its `recommendation` item; a rejection's reason in its latest status item.
 */
@Entity({ name: 'case_recommendations' })
export class RecommendationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  /** The `recommendation` item: the words and a free-text owner, encrypted to the internal scope. */
  @Column({ name: 'item_id', type: 'uuid' })
  itemId!: string;

  /**
   * For a closing decision's recommendation: its place in the decision's `transition` item (item_id),
   * whose list holds its words and owner. Null for one recorded on its own.
   */
  @Column({ name: 'item_part', type: 'integer', nullable: true })
  itemPart!: number | null;

  /** The latest `recommendation_status` item (a rejection's reason); null until the status first changes. */
  @Column({ name: 'status_item_id', type: 'uuid', nullable: true })
  statusItemId!: string | null;

  /** A named owner, a member of staff holding the case; null for a free-text owner. */
  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn!: string | null;

  @Column({ type: 'text' })
  status!: RecommendationStatus;

  @Column({ name: 'raised_on', type: 'date' })
  raisedOn!: string;

  @Column({ name: 'status_on', type: 'date' })
  statusOn!: string;
}
