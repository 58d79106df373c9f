/**
 * The words for a case's timeline (docs/case-core.md "The timeline"): the API's timeline is data —
 * kinds, actions, codes, people by id, name and roles — and whoever shows it (the portal's case page,
 * the export's case.md) words it here, so the page and the export say the same thing and the API says
 * nothing in English. Pure: no I/O, like the role and status labels it builds on.
 */
import { CASE_STATUS_LABELS, type CaseStatus } from './lifecycle';
import { RECOMMENDATION_STATUS_LABELS, type RecommendationStatus } from './recommendations';
import { STAFF_ROLE_LABELS, type StaffRole } from './roles';

/** A member of staff as a timeline event names them. */
export interface WordedPerson {
  readonly id?: string | null;
  readonly name: string | null;
  readonly roles: readonly string[];
}

/** What the words are made from: the timeline event as the API returns it (libs/contract timeline.ts). */
export interface WordedEvent {
  readonly type: string;
  readonly action: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly actor: WordedPerson & { readonly type: string };
  readonly content: Readonly<Record<string, unknown>> | null;
  readonly people?: readonly WordedPerson[];
  readonly orphanKind?: string;
}

/** "Ann Patel (Monitoring officer)"; "a former member of staff" for someone no longer known. */
export function personLabel(person: WordedPerson | undefined | null): string {
  if (!person || person.name === null) return 'a former member of staff';
  const roles = person.roles
    .filter((r) => r !== 'administrator')
    .map((r) => STAFF_ROLE_LABELS[r as StaffRole] ?? r);
  return roles.length ? `${person.name} (${roles.join(', ')})` : person.name;
}

/** Who acted: a name and roles for staff, "the reporter", "an operator", "Nolan" for the system. */
export function actorLabel(actor: WordedEvent['actor']): string {
  switch (actor.type) {
    case 'reporter':
      return 'the reporter';
    case 'staff':
      return personLabel(actor);
    case 'operator':
      return 'an operator';
    default:
      return 'Nolan';
  }
}

/** The people a content field lists (`granted`, `revoked`, `passedTo`), as labels. */
export function peopleLabels(value: unknown): string[] {
  return (Array.isArray(value) ? value : []).map((p) =>
    p && typeof p === 'object' ? personLabel(p as WordedPerson) : String(p),
  );
}

/** A short line for the event, e.g. "Investigation opened, with its plan". */
export function timelineTitle(event: WordedEvent): string {
  const d = event.details;
  if (event.orphanKind !== undefined)
    return `Recorded without an audit entry (${event.orphanKind.replace(/_/g, ' ')})`;
  if (event.type === 'recusal') return `${actorLabel(event.actor)} recused themselves`;
  switch (event.action) {
    case 'case.created':
      return d['channel'] && d['channel'] !== 'web'
        ? `Report recorded (${String(d['channel'])})`
        : 'Report received';
    case 'case.transitioned':
      return transitionTitle(String(d['to']), d['outcome']);
    case 'case.message_added':
      if (d['identity'] === true) return 'The reporter gave their identity (only the custodian can read it)';
      return d['author'] === 'reporter' ? 'Message from the reporter' : 'Message to the reporter';
    case 'case.feedback_given':
      return 'Feedback given to the reporter';
    case 'case.note_added':
      return 'Internal note';
    case 'case.evidence_added':
      return d['kind'] === 'interview_record' ? 'Interview record added' : 'Evidence added';
    case 'identity.requested':
      return "Asked to see the reporter's identity";
    case 'identity.decided':
      return d['approved'] ? 'Identity request approved' : 'Identity request refused';
    case 'grant.created':
    case 'grant.revoked': {
      const granted = peopleLabels(event.content?.['granted']);
      const revoked = peopleLabels(event.content?.['revoked']);
      const via = d['via'];
      if (via === 'routing') return `Routed to ${granted.join(', ') || 'nobody eligible'}`;
      const changes = [
        granted.length ? `access given to ${granted.join(', ')}` : '',
        revoked.length ? `access removed from ${revoked.join(', ')}` : '',
      ].filter(Boolean);
      const because = via ? ` (${String(via).replace(/_/g, ' ')})` : '';
      return `${sentence(changes.join('; ') || 'access changed')}${because}`;
    }
    case 'case.assigned': {
      const id = d['assigneeId'];
      if (typeof id !== 'string') return 'Assignment cleared';
      return `Assigned to ${personLabel(event.people?.find((p) => p.id === id))}`;
    }
    case 'case.ownership_confirmed':
      return 'Ownership of the case confirmed';
    case 'case.routed':
      return 'Those now holding the case were told';
    case 'case.legal_hold_set':
      return 'Legal hold set';
    case 'case.legal_hold_cleared':
      return 'Legal hold cleared';
    case 'case.named_as_involved':
      return 'Someone was named as involved and lost access to the case';
    case 'case.exported':
      return 'Case exported';
    case 'sla.notified':
      return slaTitle(String(d['kind']));
    case 'case.linked':
      return 'Linked to a related case';
    case 'case.unlinked':
      return 'Case link removed';
    case 'case.recommendation_raised':
      return 'Recommendation recorded';
    case 'case.recommendation_updated':
      return `Recommendation marked ${String(RECOMMENDATION_STATUS_LABELS[d['to'] as RecommendationStatus] ?? d['to']).toLowerCase()}`;
    default:
      return sentence(event.action.split('.').slice(1).join(' ').replace(/_/g, ' '));
  }
}

function transitionTitle(to: string, outcome: unknown): string {
  switch (to) {
    case 'acknowledged':
      return 'Acknowledged, with the first response to the reporter';
    case 'assessment':
      return 'Assessment started';
    case 'investigation':
      return 'Investigation opened, with its plan';
    case 'decision':
      return 'Findings submitted for a decision';
    case 'closed':
      return `Closed: ${typeof outcome === 'string' ? outcome.replace(/_/g, ' ') : 'no outcome'}`;
    case 'reopened':
      return 'Reopened';
    default:
      return `Moved to ${CASE_STATUS_LABELS[to as CaseStatus] ?? to}`;
  }
}

function slaTitle(kind: string): string {
  const titles: Record<string, string> = {
    acknowledgement_reminder: 'Reminder: acknowledgement due soon',
    acknowledgement_breach: 'Escalated: acknowledgement overdue',
    safeguarding_referral_due: 'Escalated: safeguarding referral due',
    feedback_reminder: 'Reminder: feedback to the reporter due soon',
    feedback_breach: 'Escalated: feedback to the reporter overdue',
    plan_target_reminder: 'Reminder: the investigation plan’s target date is near',
    plan_target_overdue: 'The investigation plan’s target date has passed',
    recommendation_due: 'Reminder: a recommendation falls due soon',
  };
  return titles[kind] ?? 'Deadline notice';
}

function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
