/**
 * The case list, GET /cases: only cases the caller holds a grant for (docs/architecture.md "Grants"),
 * with the readable metadata the workflow needs and never any content.
 */
import type { Page, PageRequest } from './page';

export interface CaseListItem {
  readonly reference: string;
  readonly category: string;
  readonly categoryTitle: string;
  readonly status: string;
  readonly outcome: string | null;
  /** Dates are YYYY-MM-DD in London time. */
  readonly receivedOn: string;
  readonly acknowledgementDue: string;
  readonly acknowledgedOn: string | null;
  readonly feedbackDue: string;
  readonly closedOn: string | null;
  readonly assigneeId?: string | null;
  readonly assignedOn?: string | null;
  readonly ownershipConfirmedOn?: string | null;
  readonly legalHold?: boolean;
  readonly feedbackGivenOn?: string | null;
}

export type CaseList = Page<CaseListItem>;

/** The filters of GET /cases. */
export interface CaseListQuery extends PageRequest {
  readonly status?: string;
  readonly category?: string;
  /** A reference or the start of one. */
  readonly q?: string;
  /** 'me': only the cases assigned to the caller. */
  readonly assignee?: 'me';
}
