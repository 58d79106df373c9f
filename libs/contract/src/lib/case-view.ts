/**
 * One case as a member of staff holding it sees it, GET /cases/{reference}: the list's metadata, the
 * moves open to them, and the report-scope content they may decrypt (the report, its files, the
 * conversation with the reporter). The timeline is its own resource (timeline.ts).
 */
import type { CaseListItem } from './case-list';

/** A move open to the caller from the case's stage: libs/domain's AllowedTransition as JSON. */
export interface AllowedTransition {
  to: string;
  /** For `to: 'closed'`, the outcomes allowed from here; empty otherwise. */
  outcomes: readonly string[];
}

/**
 * Whether an item's signature by the council's system key checks out (docs/architecture.md "Encryption
 * model"): `verified`; `unsigned` — recorded before signatures; `unverified` — its signature is missing
 * or does not verify, so it may not be what it claims (shown with a warning, never hidden).
 */
export type ItemVerification = 'verified' | 'unsigned' | 'unverified';

/** A file of the report scope: the reporter's and the handlers' replies'. */
export interface CaseAttachment {
  id: string;
  name: string;
  mediaType: string;
  size: number;
  verification?: ItemVerification;
}

/** A message of the conversation with the reporter. */
export interface CaseMessage {
  id: string;
  from: 'reporter' | 'staff';
  /** The member of staff who wrote it; null for the reporter. */
  authorId: string | null;
  sentOn: string;
  text: string;
  /** Ids of the files sent with it. */
  attachments: string[];
  verification?: ItemVerification;
}

/** The report as the reporter gave it (answers, the people it may involve). */
export interface CaseReport {
  category?: string;
  answers?: Record<string, unknown>;
  involves?: string[];
}

export interface CaseView extends CaseListItem {
  channel: string;
  routing: string;
  allowedTransitions: AllowedTransition[];
  /** Null when the caller cannot read the report scope. */
  report: CaseReport | null;
  /** The report item's signature state; absent when the report is not shown. */
  reportVerification?: ItemVerification;
  attachments: CaseAttachment[];
  messages: CaseMessage[];
}

/** The answer to a transition: the case's metadata as it now stands, and the moves open from there. */
export interface TransitionResult extends CaseListItem {
  allowedTransitions: AllowedTransition[];
}
