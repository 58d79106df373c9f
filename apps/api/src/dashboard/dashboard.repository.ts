import { Injectable } from '@nestjs/common';
import type { FigureScope, LocalDate, Period } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import type { CaseEvent, CaseFacts, RecommendationFacts } from './figures';

/**
 * The dashboard's reads: case metadata and event kinds only — no case_items, no grant keys, nothing
 * that needs a key (docs/dashboard.md "Metadata only"). Indexes used (migration
 * 1763901800000-dashboard-indexes): cases_tenant_received_idx (tenant_id, received_at) for the period,
 * case_grants_staff_case_idx (tenant_id, grantee_id, case_id) and the case_exclusions key for who may see a case, audit_entries_tenant_action_idx
 * (tenant_id, action, occurred_at) for the audit events, case_exclusions_tenant_on_idx (tenant_id, excluded_on).
 */
@Injectable()
export class DashboardRepository {
  /**
   * The cases the viewer's figures count over that can touch `period`: received by its end and not
   * closed before it began. 'council' and 'own' need a staff grant (routing never grants a case to
   * someone it rules out, and revokes it when they are named later); every scope drops a case whose
   * exclusions name the viewer (libs/domain figure-visibility.ts caseCountsFor).
   *
   * The period's cases are read first and only then checked for a grant when the viewer sees the whole
   * council: the planner cannot tell that the monitoring officer's grants cover nearly every case (it
   * guesses a few hundred), so left to itself it walks the grants and looks each case up by id — for a
   * 20,000-case council 21,000 index lookups (86,000 buffers, about 600 ms) instead of one scan of the
   * council's cases (2,500 buffers; docs/performance.md "Dashboard at scale"). A handler's own figures
   * ('own') keep that walk, which suits their few grants, so the fence is for 'council' only.
   */
  async cases(m: EntityManager, viewerId: string, scope: FigureScope, period: Period): Promise<CaseFacts[]> {
    const granted =
      scope === 'summary'
        ? ''
        : `AND EXISTS (SELECT 1 FROM case_grants g WHERE g.case_id = c.id AND g.grantee_kind = 'staff' AND g.grantee_id = $1)`;
    const fence = scope === 'council' ? 'MATERIALIZED' : 'NOT MATERIALIZED';
    const rows: Record<string, string | null>[] = await m.query(
      `WITH period_cases AS ${fence} (
         SELECT c.id, c.reference, c.category, c.status, c.outcome, c.channel,
                to_char(c.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS received_on,
                c.acknowledgement_due::text AS acknowledgement_due, c.acknowledged_on::text AS acknowledged_on,
                c.feedback_due::text AS feedback_due, c.feedback_given_on::text AS feedback_given_on,
                c.closed_on::text AS closed_on, c.reopened_on::text AS reopened_on, c.referral_body
           FROM cases c
          WHERE c.tenant_id = nolan_current_tenant()
            AND c.received_at < (($3::date + 1)::timestamp AT TIME ZONE 'Europe/London')
            AND (c.status <> 'closed' OR c.closed_on >= $2::date OR c.reopened_on >= $2::date))
       SELECT c.* FROM period_cases c
        WHERE NOT EXISTS (SELECT 1 FROM case_exclusions e WHERE e.case_id = c.id AND e.user_id = $1)
          ${granted}`,
      [viewerId, period.from, period.to],
    );
    return rows.map((r) => ({
      id: r['id'] as string,
      reference: r['reference'] as string,
      category: r['category'] as string,
      status: r['status'] as string,
      outcome: r['outcome'],
      channel: r['channel'] as string,
      receivedOn: r['received_on'] as LocalDate,
      acknowledgementDue: r['acknowledgement_due'] as LocalDate,
      acknowledgedOn: r['acknowledged_on'],
      feedbackDue: r['feedback_due'] as LocalDate,
      feedbackGivenOn: r['feedback_given_on'],
      closedOn: r['closed_on'],
      reopenedOn: r['reopened_on'],
      referralBody: r['referral_body'] ?? null,
    }));
  }

  /**
   * The events the figures need, in the period, by kind (of every case of the council: the tally keeps
   * only those of the viewer's cases): assessments (a transition from assessment),
   * transfers (an assignment that replaced someone), identity disclosures (an approved request), from
   * the audit trail's action and coded details; recusals and people named later from case_exclusions (not those the report named at intake).
   */
  async events(m: EntityManager, period: Period): Promise<CaseEvent[]> {
    const audit: {
      case_id: string;
      action: string;
      to_status: string | null;
      outcome: string | null;
      day: string;
    }[] = await m.query(
      `SELECT a.case_id, a.action, a.details->>'to' AS to_status, a.details->>'outcome' AS outcome,
                to_char(a.occurred_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS day
           FROM audit_entries a
          WHERE a.tenant_id = nolan_current_tenant()
            AND a.action IN ('case.transitioned', 'case.assigned', 'identity.decided')
            AND a.occurred_at >= ($1::date::timestamp AT TIME ZONE 'Europe/London')
            AND a.occurred_at < (($2::date + 1)::timestamp AT TIME ZONE 'Europe/London')
            AND a.case_id IS NOT NULL
            AND ((a.action = 'case.transitioned' AND a.details->>'from' = 'assessment')
              OR (a.action = 'case.assigned' AND a.details->>'previousAssigneeId' IS NOT NULL)
              OR (a.action = 'identity.decided' AND a.details->>'approved' = 'true'))`,
      [period.from, period.to],
    );
    const exclusions: { case_id: string; kind: string; day: string }[] = await m.query(
      `SELECT e.case_id, e.kind, e.excluded_on::text AS day
         FROM case_exclusions e
        WHERE e.tenant_id = nolan_current_tenant()
          AND e.kind <> 'named_in_report'
          AND e.excluded_on BETWEEN $1::date AND $2::date`,
      [period.from, period.to],
    );
    const events: CaseEvent[] = audit.map((a) =>
      a.action === 'case.transitioned'
        ? {
            caseId: a.case_id,
            kind: 'triage',
            key: a.to_status === 'closed' ? (a.outcome ?? 'unknown') : (a.to_status ?? 'unknown'),
            on: a.day,
          }
        : {
            caseId: a.case_id,
            kind: a.action === 'case.assigned' ? 'transfer' : 'identityDisclosure',
            on: a.day,
          },
    );
    for (const e of exclusions)
      events.push({ caseId: e.case_id, kind: e.kind === 'recused' ? 'recusal' : 'namedLater', on: e.day });
    return events;
  }

  /**
   * The council's tracked recommendations that can touch `period` (raised by its end); the tally keeps
   * only those of the viewer's cases. Metadata only: status, due date and days (case_recommendations).
   */
  async recommendations(m: EntityManager, period: Period): Promise<RecommendationFacts[]> {
    const rows: {
      case_id: string;
      raised_on: string;
      status: string;
      status_on: string;
      due_on: string | null;
    }[] = await m.query(
      `SELECT r.case_id, r.raised_on::text AS raised_on, r.status, r.status_on::text AS status_on,
                r.due_on::text AS due_on
           FROM case_recommendations r
          WHERE r.tenant_id = nolan_current_tenant() AND r.raised_on <= $1::date`,
      [period.to],
    );
    return rows.map((r) => ({
      caseId: r.case_id,
      raisedOn: r.raised_on,
      status: r.status as RecommendationFacts['status'],
      statusOn: r.status_on,
      dueOn: r.due_on,
    }));
  }
}
