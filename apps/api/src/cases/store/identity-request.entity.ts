import { Column, Entity } from 'typeorm';
import { CaseRequestColumns } from './case-request.columns';

/** A handler's request to see the reporter's identity, and the custodian's decision. */
@Entity({ name: 'identity_requests' })
export class IdentityRequestEntity extends CaseRequestColumns {
  @Column({ type: 'text', default: 'pending' })
  status!: 'pending' | 'approved' | 'refused';
}
