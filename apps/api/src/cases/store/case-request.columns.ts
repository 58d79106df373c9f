import { Column, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What every request about a case that someone else decides has (a handler's request to see the
 * reporter's identity, a naming after intake, a request to close): who asked, who decided and the days
 * both happened. Each request's table adds its own status and details.
 */
export abstract class CaseRequestColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ name: 'requester_id', type: 'uuid' })
  requesterId!: string;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'requested_on', type: 'date', insert: false })
  requestedOn!: string;

  @Column({ name: 'decided_on', type: 'date', nullable: true })
  decidedOn!: string | null;
}
