/**
 * The case list, GET /cases: only cases the caller holds a grant for (docs/architecture.md "Grants"),
 * with the readable metadata the workflow needs and never any content.
 */
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
  assignedOn?: string | null;
  ownershipConfirmedOn?: string | null;
  legalHold?: boolean;
  feedbackGivenOn?: string | null;
}

export type CaseList = Page<CaseListItem>;

/** The filters of GET /cases. */
export interface CaseListQuery extends PageRequest {
  status?: string;
  category?: string;
  /** A reference or the start of one. */
  q?: string;
  /** 'me': only the cases assigned to the caller. */
  assignee?: 'me';
}
