/**
 * The case file in plain words (issue #19): the investigation plan, its target date, the findings on
 * each allegation and the decision with its recommendations, read from the latest transitions on the
 * case's timeline (their decrypted content) and said as a person would say them — "Partly
 * substantiated", "28 February 2027" — never as stored codes. Only what the user may read is there:
 * the timeline carries content only for those who hold the internal scope.
 */
import {
  CASE_OUTCOME_LABELS,
  type CaseOutcome,
  EXTERNAL_BODY_LABELS,
  type ExternalBody,
  OTHER_PROCEDURE_LABELS,
  type OtherProcedure,
  toLondonDate,
} from '@nolan/domain';
import type { Timeline, TimelineEvent } from '../api/staff-api';
import { formatDate } from './case-view';

/** What each finding on an allegation is called on the pages. */
export const FINDING_TEXT: Readonly<Record<string, string>> = Object.freeze({
  substantiated: 'Substantiated',
  partially_substantiated: 'Partly substantiated',
  not_substantiated: 'Not substantiated',
  knowingly_false: 'Knowingly false',
});

export interface PlainFinding {
  readonly allegation: string;
  readonly finding: string;
  readonly reason: string;
}

export interface PlainRecommendation {
  readonly action: string;
  readonly owner: string;
  readonly due: string | null;
}

export interface CaseRecord {
  readonly plan: {
    readonly why: string;
    readonly scope: string;
    readonly allegations: readonly string[];
    readonly target: string | null;
    readonly startedOn: string;
  } | null;
  readonly findings: { readonly items: readonly PlainFinding[]; readonly submittedOn: string } | null;
  readonly decision: {
    readonly outcome: string;
    readonly reason: string;
    readonly referral: string | null;
    readonly recommendations: readonly PlainRecommendation[];
    readonly noFeedbackReason: string | null;
    readonly decidedOn: string;
  } | null;
}

/** The London day of an event, in words. */
const dayOf = (event: TimelineEvent): string => formatDate(toLondonDate(new Date(event.at)));
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The latest transition into `to` whose content the user can read, or null. */
function latest(events: readonly TimelineEvent[], to: string): TimelineEvent | null {
  let found: TimelineEvent | null = null;
  for (const event of events)
    if (event.type === 'transition' && event.details['to'] === to && event.content) found = event;
  return found;
}

/** Reopening starts the case again: what came before it is history, not the current record. */
function sinceReopened(events: readonly TimelineEvent[]): readonly TimelineEvent[] {
  let start = 0;
  events.forEach((event, i) => {
    if (event.type === 'transition' && event.details['to'] === 'reopened') start = i + 1;
  });
  return events.slice(start);
}

export function caseRecord(timeline: Timeline | null): CaseRecord {
  const events = sinceReopened(timeline?.events ?? []);
  const planEvent = latest(events, 'investigation');
  const findingsEvent = latest(events, 'decision');
  const closedEvent = latest(events, 'closed');
  const plan = record(planEvent?.content?.['plan']);
  const closed = record(closedEvent?.content);
  return {
    plan: planEvent
      ? {
          why: str(planEvent.content?.['reason']),
          scope: str(plan['scope']),
          allegations: Array.isArray(plan['allegations']) ? plan['allegations'].map(str) : [],
          target: str(plan['targetDate']) ? formatDate(str(plan['targetDate'])) : null,
          startedOn: dayOf(planEvent),
        }
      : null,
    findings: findingsEvent
      ? {
          items: (Array.isArray(findingsEvent.content?.['findings']) ? (findingsEvent.content['findings'] as unknown[]) : []).map(
            (f) => {
              const r = record(f);
              return {
                allegation: str(r['allegation']),
                finding: FINDING_TEXT[str(r['finding'])] ?? str(r['finding']),
                reason: str(r['reason']),
              };
            },
          ),
          submittedOn: dayOf(findingsEvent),
        }
      : null,
    decision: closedEvent
      ? {
          outcome: CASE_OUTCOME_LABELS[str(closed['outcome']) as CaseOutcome] ?? str(closed['outcome']),
          reason: str(closed['reason']),
          referral: referralText(closed),
          recommendations: (Array.isArray(closed['recommendations']) ? closed['recommendations'] : []).map((x) => {
            const r = record(x);
            return { action: str(r['action']), owner: str(r['owner']), due: str(r['dueDate']) ? formatDate(str(r['dueDate'])) : null };
          }),
          noFeedbackReason: str(closed['noFeedbackReason']) || null,
          decidedOn: dayOf(closedEvent),
        }
      : null,
  };
}

function referralText(closed: Record<string, unknown>): string | null {
  const external = record(closed['referral']);
  if (external['body']) {
    const body = EXTERNAL_BODY_LABELS[str(external['body']) as ExternalBody] ?? str(external['body']);
    return str(external['details']) ? `${body} (${str(external['details'])})` : body;
  }
  const procedure = record(closed['procedureReferral']);
  if (procedure['procedure']) {
    const named = OTHER_PROCEDURE_LABELS[str(procedure['procedure']) as OtherProcedure] ?? str(procedure['procedure']);
    const text = str(procedure['details']) ? `${named} (${str(procedure['details'])})` : named;
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  return null;
}
