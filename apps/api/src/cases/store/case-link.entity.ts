import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Two related cases (issue #7 "Links"), stored once with case_a < case_b. The note is encrypted to
 * each case's internal scope (noteForA to case A's, noteForB to case B's).
 */
@Entity({ name: 'case_links' })
export class CaseLinkEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_a', type: 'uuid' })
  caseA!: string;

  @Column({ name: 'case_b', type: 'uuid' })
  caseB!: string;

  @Column({ type: 'text' })
  kind!: 'same_subject' | 'same_pattern' | 'duplicate';

  @Column({ name: 'note_for_a', type: 'bytea' })
  noteForA!: Buffer;

  @Column({ name: 'note_for_b', type: 'bytea' })
  noteForB!: Buffer;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @Column({ name: 'created_on', type: 'date', insert: false })
  createdOn!: string;
}
