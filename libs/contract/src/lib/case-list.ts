/**
 * The case list, GET /cases: only cases the caller holds a grant for (docs/architecture.md "Grants"),
 * with the readable metadata the workflow needs and never any content.
 */
import type { SlaClockStatus } from '@nolan/domain';
import type { Page, PageRequest } from './page';

export interface CaseListItem {
  reference: string;
  category: string;
  categoryTitle: string;
  status: string;
  outcome: string | null;
  /** Dates are YYYY-MM-DD in London time. */
  receivedOn: string;
  acknowledgementDue: string;
  acknowledgedOn: string | null;
  feedbackDue: string;
  closedOn: string | null;
  /** The day of the latest reopening: the feedback clock runs from it. */
  reopenedOn?: string | null;
  assigneeId?: string | null;
  /** The assignee's display name (the council's staff directory), null when unassigned. */
  assigneeName?: string | null;
  assignedOn?: string | null;
  ownershipConfirmedOn?: string | null;
  legalHold?: boolean;
  feedbackGivenOn?: string | null;
  /**
   * Every statutory clock still running on the case, most urgent first, with its state today (on track,
   * due soon, overdue) under the council's SLA policy: decided once, by the API with libs/domain's
   * slaClocks, so the badges and the deadline filter agree. Empty for a closed case.
   */
  clocks: SlaClockStatus[];
  /**
   * For the case's owner only: the reporter has written since they last opened the case. Worked out
   * from the order of the case's items, never from a time.
   */
  newMessage?: boolean;
}

export type CaseList = Page<CaseListItem> & {
  /**
   * Where the next page starts: pass it as `after` for the page after this one, which the API then reads
   * from where it starts instead of walking every case before it. Absent when this page is not full.
   */
  next?: string;
};

/** The filters of GET /cases. */
export interface CaseListQuery extends PageRequest {
  status?: string;
  category?: string;
  /**
   * Words to look for in the case's metadata (never its content): the start of a reference, or a word
   * of its category's title, its status or its assignee's name.
   */
  q?: string;
  /** 'me': only the cases assigned to the caller. */
  assignee?: 'me';
  /** Only the cases assigned to this staff user. */
  assigneeId?: string;
  /** true: only the cases nobody is assigned yet. */
  unassigned?: boolean;
  /** Only cases with a statutory clock overdue, or due soon (or overdue). */
  deadline?: 'overdue' | 'due_soon';
  /** The cases after the page whose `next` this is (`offset` then counts on from there). */
  after?: string;
}
