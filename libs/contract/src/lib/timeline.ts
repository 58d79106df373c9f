/**
 * A case's timeline, GET /cases/{reference}/timeline (docs/case-core.md "The timeline"): data only —
 * event kinds, audit actions, codes, times with their precision, and people by id, name and roles. The
 * words on the page (titles, "the reporter", "Ann Patel (Investigator)") come from libs/domain's
 * timeline-words.ts, applied where the timeline is shown.
 */
import type { ItemVerification } from './case-view';

/** What kind of thing happened: the words and badge are chosen from this. */
export const TIMELINE_EVENT_TYPES = [
  'received',
  'access',
  'assigned',
  'transition',
  'message',
  'feedback',
  'note',
  'evidence',
  'recusal',
  'identity_given',
  'identity_requested',
  'identity_decided',
  'exported',
  'linked',
  'sla',
  'other',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

/** A member of staff as the timeline names them; null name for someone who has left. */
export interface TimelinePerson {
  id: string;
  name: string | null;
  roles: string[];
}

export interface TimelineActor {
  type: 'staff' | 'reporter' | 'system' | 'operator';
  /** The staff user; never set for the reporter. */
  id: string | null;
  name: string | null;
  roles: string[];
}

export interface TimelineFile {
  id: string;
  name: string;
  mediaType: string;
  size: number;
}

export interface TimelineEvent {
  type: TimelineEventType;
  /** The audit action of the event's (first) entry. */
  action: string;
  /** When, as the audit trail stores it: to the second for staff, to the hour for the reporter. */
  at: string;
  precision: 'second' | 'hour';
  actor: TimelineActor;
  /** The audit entries this event stands for (their seq in the tenant's chain), first the main one. */
  auditSeqs: number[];
  /** The readable ids, codes and counts of the entry (never content). */
  details: Record<string, unknown>;
  /**
   * The event's content, decrypted, when the reader holds its scope; null otherwise or when it has
   * none. People it names (`granted`, `revoked`, `passedTo`) are TimelinePerson objects.
   */
  content: Record<string, unknown> | null;
  /** Files that came with the event (names only when the reader holds their scope). */
  files: TimelineFile[];
  /** Every member of staff the event's details name (an assignee, a grantee), for the words. */
  people: TimelinePerson[];
  /**
   * The signature state of the event's items (docs/architecture.md "Encryption model"), the weakest of
   * them: `unverified` if any does not verify; absent for an event with no items.
   */
  verification?: ItemVerification;
  /** For content no audit entry accounts for (shown, never hidden): the item's kind. */
  orphanKind?: string;
}

export interface Timeline {
  reference: string;
  status: string;
  events: TimelineEvent[];
  total: number;
  limit: number;
  offset: number;
}
