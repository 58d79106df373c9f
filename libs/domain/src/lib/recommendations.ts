// Recommendations as tracked actions (issue #19; docs/case-core.md "Recommendations"): what a case's
// findings or plan say should be done, by whom and by when, and how far it has got. The words of a
// recommendation and a free-text owner are case content (encrypted); its status, due date and a named
// owner's id are readable metadata, so the dashboard can count them and the SLA timers can remind.
import { compareLocalDates, isLocalDate, type LocalDate } from './local-date';

export const RECOMMENDATION_STATUSES = ['open', 'in_progress', 'implemented', 'rejected'] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

/** The status in plain words, as the case page shows it. */
export const RECOMMENDATION_STATUS_LABELS: Readonly<Record<RecommendationStatus, string>> = Object.freeze({
  open: 'Not started',
  in_progress: 'In progress',
  implemented: 'Implemented',
  rejected: 'Rejected',
});

/** Where a recommendation may go next: implemented and rejected are final. */
const NEXT: Readonly<Record<RecommendationStatus, readonly RecommendationStatus[]>> = {
  open: ['in_progress', 'implemented', 'rejected'],
  in_progress: ['implemented', 'rejected'],
  implemented: [],
  rejected: [],
};

export function nextRecommendationStatuses(from: RecommendationStatus): readonly RecommendationStatus[] {
  return NEXT[from];
}

export function isRecommendationStatus(value: unknown): value is RecommendationStatus {
  return typeof value === 'string' && (RECOMMENDATION_STATUSES as readonly string[]).includes(value);
}

/** Why a change of status is refused, or null when it is allowed. A rejection needs its reason. */
export function recommendationChangeProblem(
  from: RecommendationStatus,
  to: RecommendationStatus,
  reason: string | undefined,
): { code: 'illegal' | 'invalid'; reason: string } | null {
  if (!NEXT[from].includes(to)) {
    return NEXT[from].length === 0
      ? {
          code: 'illegal',
          reason: `This recommendation is already ${RECOMMENDATION_STATUS_LABELS[from].toLowerCase()}; its status cannot change.`,
        }
      : {
          code: 'illegal',
          reason: `A recommendation that is ${RECOMMENDATION_STATUS_LABELS[from].toLowerCase()} can become: ${NEXT[
            from
          ]
            .map((s) => RECOMMENDATION_STATUS_LABELS[s].toLowerCase())
            .join(', ')}.`,
        };
  }
  if (to === 'rejected' && !reason?.trim())
    return { code: 'invalid', reason: 'Say why the recommendation was rejected (reason).' };
  return null;
}

/** Still to be done: open or in progress. */
export function recommendationOutstanding(status: RecommendationStatus): boolean {
  return status === 'open' || status === 'in_progress';
}

/** Overdue on `today`: still outstanding and its due date has passed. */
export function recommendationOverdue(
  r: { status: RecommendationStatus; dueOn: LocalDate | null },
  today: LocalDate,
): boolean {
  return recommendationOutstanding(r.status) && r.dueOn !== null && compareLocalDates(r.dueOn, today) < 0;
}

export interface NewRecommendation {
  readonly text: string;
  /** A named owner: a member of staff who holds the case. */
  readonly ownerId?: string;
  /** A free-text owner, such as a service area. */
  readonly owner?: string;
  readonly dueOn: LocalDate;
}

/** Checks a new recommendation's fields; each problem names its field. */
export function recommendationProblems(input: {
  text?: unknown;
  ownerId?: unknown;
  owner?: unknown;
  dueOn?: unknown;
}): string[] {
  const problems: string[] = [];
  if (typeof input.text !== 'string' || !input.text.trim()) problems.push('Say what should be done (text).');
  else if (input.text.length > 5000) problems.push('text must be 5,000 characters or fewer.');
  const hasId = typeof input.ownerId === 'string' && input.ownerId !== '';
  const hasText = typeof input.owner === 'string' && input.owner.trim() !== '';
  if (hasId === hasText)
    problems.push(
      'Give one owner: a member of staff who holds the case (ownerId) or a team or post (owner).',
    );
  if (typeof input.owner === 'string' && input.owner.length > 200)
    problems.push('owner must be 200 characters or fewer.');
  if (!isLocalDate(input.dueOn)) problems.push('dueOn must be a real date written YYYY-MM-DD.');
  return problems;
}
