import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A case's readable metadata. Its content lives encrypted in case_items. */
@Entity({ name: 'cases' })
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'text' })
  category!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  /** Truncated to the hour: no record of the exact moment a report arrived. */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** A reporter's case is shown to staff only from its batch's release; null: at once (reporter-time/visibility.ts). */
  @Column({ name: 'visible_from', type: 'timestamptz', nullable: true })
  visibleFrom!: Date | null;

  @Column({ name: 'acknowledgement_due', type: 'date' })
  acknowledgementDue!: string;

  @Column({ name: 'feedback_due', type: 'date' })
  feedbackDue!: string;

  @Column({ name: 'acknowledged_on', type: 'date', nullable: true })
  acknowledgedOn!: string | null;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn!: string | null;

  /** Set by the monitoring officer to stop destruction (litigation, an inquiry). */
  @Column({ name: 'legal_hold', type: 'boolean', default: false })
  legalHold!: boolean;

  /** The day its content, keys and grants were destroyed; the row stays as anonymous statistics. */
  @Column({ name: 'destroyed_on', type: 'date', nullable: true })
  destroyedOn!: string | null;

  /** How the report arrived: the web form, or a handler recording an oral or written report. */
  @Column({ type: 'text', default: 'web' })
  channel!: 'web' | 'phone' | 'in_person' | 'post' | 'email';

  /** Whether routing found anyone eligible; if not, only the escrow key holds the case. */
  @Column({ type: 'text', default: 'routed' })
  routing!: 'routed' | 'no_eligible_recipient';

  /**
   * The day feedback was last given to the reporter on the current feedback clock: it meets the 3-month
   * feedback clock (EU-09). Reopening starts a new clock and clears it; every feedback keeps its own day.
   */
  @Column({ name: 'feedback_given_on', type: 'date', nullable: true })
  feedbackGivenOn!: string | null;

  /** The day of the latest reopening: the feedback clock then runs 3 months from it. Null if never reopened. */
  @Column({ name: 'reopened_on', type: 'date', nullable: true })
  reopenedOn!: string | null;

  /** The handler the case is assigned to (by its overseer); null until assigned. */
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  /** The day of the (latest) assignment: the "confirm ownership" clock starts here. */
  @Column({ name: 'assigned_on', type: 'date', nullable: true })
  assignedOn!: string | null;

  /** The day the assignee confirmed they own the case; null while the clock runs. */
  @Column({ name: 'ownership_confirmed_on', type: 'date', nullable: true })
  ownershipConfirmedOn!: string | null;

  /**
   * The investigation plan's target date, readable so the workers can remind the assignee before it
   * (sla.service.ts); set when an investigation opens with one, cleared when the case leaves investigation.
   */
  @Column({ name: 'plan_target_date', type: 'date', nullable: true })
  planTargetDate!: string | null;

  /**
   * The group of the body a case closed as referred externally was referred to: a code of libs/domain
   * EXTERNAL_BODY_GROUPS (never the exact body, which stays in the encrypted decision), set by the
   * closing transition and cleared by a reopening; null otherwise, and for cases closed before it was
   * recorded (docs/dashboard.md "What each figure counts").
   */
  @Column({ name: 'referral_group', type: 'text', nullable: true })
  referralGroup!: string | null;

  /**
   * The report's mode as a keyed tag (libs/crypto mode-tags.ts): 32 bytes whatever the mode, readable
   * only with the key derived from the receipt pepper; written at intake (CaseStoreService.create), NULL
   * for cases from before it was kept (docs/dashboard.md "Reports by mode"). Not read with the row.
   */
  @Column({ name: 'mode_tag', type: 'bytea', nullable: true, select: false })
  modeTag!: Buffer | null;

  /**
   * Whether the people the report named (the holders of each role ticked) are recorded by id in
   * case_exclusions. True from intake; false only for a case from before issue #15 until the first
   * command that opens its report records them (CaseAccessService.routingInput).
   */
  @Column({ name: 'people_frozen', type: 'boolean', insert: false })
  peopleFrozen!: boolean;
}

@Entity({ name: 'case_scope_keys' })
export class CaseScopeKeyEntity {
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_id', type: 'uuid', primary: true })
  caseId!: string;

  @Column({ type: 'text', primary: true })
  scope!: string;

  @Column({ name: 'public_key', type: 'bytea' })
  publicKey!: Buffer;
}

export type GranteeKind = 'staff' | 'escrow' | 'reporter';

/** A scope's private key, encrypted to one grantee. Revoking access is deleting the row. */
@Entity({ name: 'case_grants' })
export class CaseGrantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ type: 'text' })
  scope!: string;

  @Column({ name: 'grantee_kind', type: 'text' })
  granteeKind!: GranteeKind;

  @Column({ name: 'grantee_id', type: 'uuid', nullable: true })
  granteeId!: string | null;

  @Column({ name: 'encrypted_scope_key', type: 'bytea' })
  encryptedScopeKey!: Buffer;
}

/** One piece of case content (the report, a message, a note, identity…), encrypted to a scope. */
@Entity({ name: 'case_items' })
export class CaseItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @Column({ type: 'text' })
  scope!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'bytea' })
  ciphertext!: Buffer;

  /** Insertion order (items' times are kept only to the hour). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ name: 'author_kind', type: 'text', nullable: true })
  authorKind!: 'reporter' | 'staff' | 'system' | null;

  /** The staff author; always null for a reporter. */
  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId!: string | null;

  /** Kept to the hour (CaseRecorder decides it; the column's default is the hour too). */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** A reporter-caused item is shown to staff only from its batch's release; null: at once. */
  @Column({ name: 'visible_from', type: 'timestamptz', nullable: true })
  visibleFrom!: Date | null;

  /**
   * Detached OpenPGP signature over the item's statement by the council's system key (item-seal.ts);
   * null for items recorded before signatures.
   */
  @Column({ type: 'bytea', nullable: true })
  signature!: Buffer | null;
}

/** The reporter's key pair for a case: the private key locked under the receipt; found by HMAC(pepper, receipt). */
@Entity({ name: 'reporter_keys' })
export class ReporterKeyEntity {
  @Column({ name: 'case_id', type: 'uuid', primary: true })
  caseId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'lookup_key', type: 'text' })
  lookupKey!: string;

  @Column({ name: 'public_key', type: 'bytea' })
  publicKey!: Buffer;

  @Column({ name: 'locked_private_key', type: 'bytea' })
  lockedPrivateKey!: Buffer;

  @Column({ type: 'bytea' })
  salt!: Buffer;
}

/** Someone a case must never reach again: a handler who recused, or a person named as involved. */
@Entity({ name: 'case_exclusions' })
export class CaseExclusionEntity {
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'case_id', type: 'uuid', primary: true })
  caseId!: string;

  @Column({ name: 'user_id', type: 'uuid', primary: true })
  userId!: string;

  @Column({ type: 'text' })
  kind!: 'recused' | 'named_as_involved' | 'named_in_report';
}
