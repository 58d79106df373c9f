/**
 * What callers tell the audit trail. The actor is a tagged union so a reporter can never be given an
 * id: reporters have no account, and nothing we store may identify one (docs/architecture.md
 * "Encryption model"). A staff actor may have a null id (a failed sign-in for an address with no account).
 */
import type { AuditDetailValue } from './audit-chain';

export type AuditActor =
  { type: 'staff'; id: string | null } | { type: 'reporter' } | { type: 'system' } | { type: 'operator' };

/**
 * Every action the trail records, as dotted verbs. Pinned by audit-event.spec.ts: a new action is a
 * deliberate addition, listed here with what its details may carry.
 */
export const AUDIT_ACTIONS = [
  /** A staff user or a reporter signed in. details: none for reporters. */
  'auth.sign_in',
  /** A sign-in was refused. details: { reason } as a code; never an IP for reporters. */
  'auth.sign_in_failed',
  /** A reporter replaced their receipt (the old one stops working). details: none. */
  'auth.receipt_replaced',
  /** Case content was decrypted for someone: who, what (scope, item ids), when. */
  'case.content_decrypted',
  /** A grant of a case scope key was made. details: { scope, granteeId }. */
  'grant.created',
  /** A grant was revoked. details: { scope, granteeId }. */
  'grant.revoked',
  /** A lifecycle transition. details: { from, to, outcome? }. */
  'case.transitioned',
  /**
   * A case was exported to a handler's key. details: { recipientId, fingerprint (the recipient key's),
   * signingFingerprint, scopes (those included), items, files }.
   */
  'case.exported',
  /** A case was created (a report arrived). details: { channel, routing }; the actor for a web report is the reporter. */
  'case.created',
  /** A message was added to a case. details: { author: 'reporter' | 'staff', attachments }. */
  'case.message_added',
  /** Feedback to the reporter was given (EU-09). details: { itemId, givenOn }; what was said is encrypted. */
  'case.feedback_given',
  /** A handler added an internal note. details: { itemId }. */
  'case.note_added',
  /** A handler added evidence or an interview record. details: { itemId, kind, files }. */
  'case.evidence_added',
  /** A handler asked to see the reporter's identity. details: { requestId }; the reasons are encrypted. */
  'identity.requested',
  /** The custodian approved or refused an identity request. details: { requestId, approved }. */
  'identity.decided',
  /** A closed case past retention was destroyed (crypto-shredded). details: { category, outcome, closedOn }. */
  'case.destroyed',
  /** An SLA reminder or escalation was sent. details: { kind, due, recipients }. */
  'sla.notified',
  /**
   * The workers acted on a routing decision (a new case, an assignment, a transfer, a recusal…).
   * details: { event, reason, assigneeId, recipients, outboxId }: who was told, by id.
   */
  'case.routed',
  /** The overseer assigned or transferred the case. details: { assigneeId, previousAssigneeId, reason }. */
  'case.assigned',
  /** The assignee confirmed they own the case. details: { assignedOn }. */
  'case.ownership_confirmed',
  /**
   * A handler recused themselves from the case (issue #7); who was given access instead is in the
   * grant entries beside it. details: none (the reason is encrypted).
   */
  'case.recused',
  /** A legal hold was set: the case will not be destroyed. details: none (the reason is encrypted). */
  'case.legal_hold_set',
  /** A legal hold was cleared. details: none (the reason is encrypted). */
  'case.legal_hold_cleared',
  /** Two cases were linked (same subject, same pattern); one entry on each. details: { linkId, kind }. */
  'case.linked',
  /** A link between two cases was removed; one entry on each. details: { linkId, kind }. */
  'case.unlinked',
  /**
   * Someone was named later as involved in the concern and lost access to the case at once.
   * details: { by: 'staff' | 'reporter', people } — a count; who is in the exclusions and grant entries.
   */
  'case.named_as_involved',
  /**
   * A recommendation was recorded as a tracked action (issue #19). details: { recommendationId, dueOn,
   * ownerId } — a named owner's id, null for a free-text owner; the words and that owner are encrypted.
   */
  'case.recommendation_raised',
  /**
   * A recommendation's status changed. details: { recommendationId, from, to }; a rejection's reason is
   * encrypted.
   */
  'case.recommendation_updated',
  /**
   * A handler asked for someone to be named as involved; it has no effect until the person who confirms
   * it (the overseer, or whoever would oversee the case with it in effect) does. details: { requestId,
   * people } — a count.
   */
  'case.naming_requested',
  /** A naming request was confirmed or rejected. details: { requestId, confirmed }. */
  'case.naming_decided',
  /** A handler asked the overseer to agree to closing the case. details: { requestId, outcome }. */
  'case.closure_requested',
  /** The overseer agreed to or refused a closing. details: { requestId, agreed }. */
  'case.closure_decided',
  /**
   * Part of the annual report was downloaded (issue #16). details: { year, file, exempt } — the
   * financial year, the file asked for and whether it was the exempt detail.
   */
  'report.downloaded',
  /** Tenant configuration changed. details: { setting } names, never values that could be content. */
  'config.changed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  actor: AuditActor;
  action: AuditAction;
  /** The case concerned, if any. No foreign key: the trail outlives a crypto-shredded case. */
  caseId?: string | null;
  /** Ids, codes and counts only; checked and size-limited by audit-chain.ts. */
  details?: { [key: string]: AuditDetailValue | undefined };
  /**
   * The case items this entry records, the event's own item first (docs/case-core.md "The recorder").
   * Kept beside the chained content, not in the hash: the migration that added it back-filled older
   * entries, which must keep their hashes. Only CaseRecorder sets it.
   */
  itemIds?: readonly string[];
  /**
   * When the event is recorded as having happened, decided by CaseRecorder (a reporter's actions to the
   * hour). A reporter's entry is cut to the hour here as well, whatever the caller passes.
   */
  occurredAt?: Date;
  /**
   * Record the entry at this time instead of now: only the workers acting on a released reporter batch
   * pass it, with the batch's time (docs/architecture.md "Reporter time").
   */
  at?: Date;
}
