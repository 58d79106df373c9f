/**
 * A case's tracked recommendations, GET /cases/{reference}/recommendations (docs/case-core.md
 * "Recommendations"): the words and a free-text owner decrypted for a reader holding the internal
 * scope; status, due date and a named owner are readable metadata.
 */
import type { RecommendationStatus } from '@nolan/domain';

export interface CaseRecommendation {
  id: string;
  text: string | null;
  /** A named owner: a member of staff, by id and name (null name for someone who has left). */
  ownerStaff: { id: string; name: string | null } | null;
  /** A free-text owner (a team, a post). */
  owner: string | null;
  dueOn: string | null;
  status: RecommendationStatus;
  /** Why it was rejected, when it was. */
  reason: string | null;
  raisedOn: string;
  statusOn: string;
  overdue: boolean;
  /** The statuses it may move to next. */
  next: RecommendationStatus[];
}

export interface RecommendationBody {
  text: string;
  ownerId?: string;
  owner?: string;
  dueOn: string;
}

export interface RecommendationStatusBody {
  status: RecommendationStatus;
  reason?: string;
}
