/**
 * Every kind of event a case records, pinned (docs/case-core.md "The recorder"). Each is written by
 * CaseRecorder alone, in the caller's transaction, as one encrypted item (its own kind, in its own
 * scope), one audit entry naming the item (`item_ids`) under the action below, and one outbox row under
 * that same action's name. test/api/case-recorder.e2e-spec.ts drives every kind listed here through the
 * API and checks all three rows, so a new kind needs its request there, and a writer that skips the
 * recorder fails it.
 */
import type { Scope } from '@nolan/crypto';
import type { AuditAction } from '../../audit/audit-event';

export interface CaseEventSpec {
  /** The audit action of its entry; also the outbox row's event name. */
  action: AuditAction;
  /** Where its own item is stored and what kind it is. */
  scope: Scope;
  item: string;
  /** Its entry's details also name the item (`itemId`, inside the hash), as these entries always have. */
  itemInDetails?: true;
}

export const CASE_EVENTS = {
  /** A report arrived from the web form (origin reporter) or was recorded by a handler (origin staff). */
  submitted: { action: 'case.created', scope: 'report', item: 'report' },
  message_from_reporter: { action: 'case.message_added', scope: 'report', item: 'message' },
  message_to_reporter: { action: 'case.message_added', scope: 'report', item: 'message' },
  /** The reporter gave (or corrected) their identity after submitting. */
  identity_given: { action: 'case.message_added', scope: 'identity', item: 'identity' },
  transitioned: { action: 'case.transitioned', scope: 'internal', item: 'transition' },
  feedback_given: { action: 'case.feedback_given', scope: 'report', item: 'feedback', itemInDetails: true },
  note_added: { action: 'case.note_added', scope: 'internal', item: 'note', itemInDetails: true },
  evidence_added: { action: 'case.evidence_added', scope: 'internal', item: 'evidence', itemInDetails: true },
  recused: { action: 'case.recused', scope: 'internal', item: 'recusal' },
  assigned: { action: 'case.assigned', scope: 'internal', item: 'assignment' },
  ownership_confirmed: { action: 'case.ownership_confirmed', scope: 'internal', item: 'ownership_confirmed' },
  legal_hold_set: { action: 'case.legal_hold_set', scope: 'internal', item: 'legal_hold' },
  legal_hold_cleared: { action: 'case.legal_hold_cleared', scope: 'internal', item: 'legal_hold' },
  identity_requested: { action: 'identity.requested', scope: 'internal', item: 'identity_request' },
  identity_decided: { action: 'identity.decided', scope: 'internal', item: 'identity_decision' },
  /** Two cases were linked: one event on each, each with its own item. */
  linked: { action: 'case.linked', scope: 'internal', item: 'link' },
  unlinked: { action: 'case.unlinked', scope: 'internal', item: 'link' },
  named_as_involved: { action: 'case.named_as_involved', scope: 'internal', item: 'named_as_involved' },
  /** A recommendation was recorded as a tracked action (its words and any free-text owner encrypted). */
  recommendation_raised: {
    action: 'case.recommendation_raised',
    scope: 'internal',
    item: 'recommendation',
  },
  /** A recommendation's status changed (a rejection's reason encrypted). */
  recommendation_updated: {
    action: 'case.recommendation_updated',
    scope: 'internal',
    item: 'recommendation_status',
  },
  /** A handler asked for someone to be named as involved; it waits for the overseer (issue #15). */
  naming_requested: { action: 'case.naming_requested', scope: 'internal', item: 'naming_request' },
  /** A naming request was confirmed or rejected. */
  naming_decided: { action: 'case.naming_decided', scope: 'internal', item: 'naming_decision' },
  /** A handler asked the overseer to agree to closing the case (issue #15). */
  closure_requested: { action: 'case.closure_requested', scope: 'internal', item: 'closure_request' },
  /** The overseer agreed to or refused a closing. */
  closure_decided: { action: 'case.closure_decided', scope: 'internal', item: 'closure_decision' },
} as const satisfies Record<string, CaseEventSpec>;

export type CaseEventKind = keyof typeof CASE_EVENTS;
export type CaseEventAction = (typeof CASE_EVENTS)[CaseEventKind]['action'];
export const CASE_EVENT_KINDS = Object.keys(CASE_EVENTS) as CaseEventKind[];

/**
 * Who caused an event. `system` work done because of something a reporter did (re-routing after they
 * named someone, a notice their message triggered) is `causedBy: 'reporter'`, and is then kept to the
 * reporter's precision: its time must not place the reporter's action closer than the hour.
 */
export type CaseEventOrigin =
  | { origin: 'reporter' }
  | { origin: 'staff'; staffId: string }
  | { origin: 'system'; causedBy: 'reporter' | 'staff' | null };

/** Whether an event's time must be kept to the reporter's precision (the hour). */
export function reporterCaused(by: CaseEventOrigin): boolean {
  return by.origin === 'reporter' || (by.origin === 'system' && by.causedBy === 'reporter');
}
