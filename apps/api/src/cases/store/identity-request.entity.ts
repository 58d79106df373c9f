import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A handler's request to see the reporter's identity, and the custodian's decision. */
@Entity({ name: 'identity_requests' })
export class IdentityRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ name: 'requester_id', type: 'uuid' })
  requesterId!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'approved' | 'refused';

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'requested_on', type: 'date', insert: false })
  requestedOn!: string;

  @Column({ name: 'decided_on', type: 'date', nullable: true })
  decidedOn!: string | null;
}
