import { Injectable } from '@nestjs/common';
import { AGE_BANDS, type FigureScope, type LocalDate, type Period } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import type { CaseEvent, CaseFacts, QuietCases, RecommendationFacts } from './figures';

/**
 * The dashboard's reads: case metadata and event kinds only — no case_items, no grant keys, nothing
 * that needs a key (docs/dashboard.md "Metadata only"). Indexes used (migration
 * 1763901800000-dashboard-indexes): cases_tenant_received_idx (tenant_id, received_at) for the period,
 * case_grants_staff_case_idx (tenant_id, grantee_id, case_id) and the case_exclusions key for who may see a case, audit_entries_tenant_action_idx
 * (tenant_id, action, occurred_at) for the audit events, case_exclusions_tenant_on_idx (tenant_id, excluded_on).
 */
/**
 * The upper day of each age band but the last (libs/domain AGE_BANDS): a quiet case's band is the
 * number of these its age exceeds, as `ageBand` takes the first band whose maximum it does not exceed.
 */
const BAND_MAXIMA = AGE_BANDS.filter((b) => Number.isFinite(b.max)).map((b) => b.max);

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
  async cases(
    m: EntityManager,
    viewerId: string,
    scope: FigureScope,
    period: Period,
    options: { references?: boolean } = {},
  ): Promise<CaseFacts[]> {
    return (await this.read(m, viewerId, scope, period, { references: options.references ?? true })).cases;
  }

  /**
   * The same cases for the figures alone, compactly: a case whose only part in the figures is being
   * open at the end of the period (received before it, neither closed nor reopened in it: most of a
   * council's rows) comes back in a group of its row of the open figures — its status at `end` (the
   * earlier of today and the period's end; "closed since" for one closed after it; none if it was
   * received after `end` or closed by then) and its age band on that day — with the group's case ids
   * as one string, not as a row of thirteen columns: a few dozen rows for thousands of cases. The
   * tally counts a group's cases as it would count each (figures.ts `tally`), so the figures are the
   * same; a drill-down, which lists cases, reads them whole (docs/performance.md "Dashboard at scale").
   */
  async figureCases(
    m: EntityManager,
    viewerId: string,
    scope: FigureScope,
    period: Period,
    end: LocalDate,
  ): Promise<{ cases: CaseFacts[]; quiet: QuietCases[] }> {
    return this.read(m, viewerId, scope, period, { references: false, compact: { end } });
  }

  private async read(
    m: EntityManager,
    viewerId: string,
    scope: FigureScope,
    period: Period,
    options: { references: boolean; compact?: { end: LocalDate } },
  ): Promise<{ cases: CaseFacts[]; quiet: QuietCases[] }> {
    const granted =
      scope === 'summary'
        ? ''
        : `AND EXISTS (SELECT 1 FROM case_grants g WHERE g.case_id = c.id AND g.grantee_kind = 'staff' AND g.grantee_id = $1)`;
    const fence = scope === 'council' ? 'MATERIALIZED' : 'NOT MATERIALIZED';
    // The figures need no reference (only a drill-down lists cases), and the London day of receipt is
    // a cast, not to_char: each is per row, for 15,000 rows (docs/performance.md "Dashboard at scale").
    const columns = `c.id::text AS id, ${options.references ? 'c.reference' : 'NULL::text AS reference'},
                c.category, c.status, c.outcome, c.channel, c.received_on::text AS received_on,
                c.acknowledgement_due::text AS acknowledgement_due, c.acknowledged_on::text AS acknowledged_on,
                c.feedback_due::text AS feedback_due, c.feedback_given_on::text AS feedback_given_on,
                c.closed_on::text AS closed_on, c.reopened_on::text AS reopened_on, c.referral_group, c.mode_tag`;
    // Quiet: only open at the end (figures.ts tally: not received, closed or reopened in the period).
    const quiet = `c.received_on < $2::date
            AND NOT (c.status = 'closed' AND c.closed_on IS NOT NULL AND c.closed_on BETWEEN $2::date AND $3::date)
            AND NOT (c.reopened_on IS NOT NULL AND c.reopened_on BETWEEN $2::date AND $3::date)`;
    const select = options.compact
      ? `SELECT 'case' AS kind, ${columns} FROM visible c WHERE NOT (${quiet})
         UNION ALL
         SELECT 'quiet', string_agg(q.id::text, ','), NULL, NULL, q.open_status, NULL, NULL, q.band::text,
                NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
           FROM (SELECT c.id,
                        CASE WHEN c.received_on > $4::date
                               OR (c.status = 'closed' AND c.closed_on IS NOT NULL AND c.closed_on <= $4::date)
                             THEN NULL
                             WHEN c.status = 'closed' THEN 'closed_since' ELSE c.status END AS open_status,
                        (SELECT count(*) FROM unnest($5::int[]) AS band_max WHERE $4::date - c.received_on > band_max) AS band
                   FROM visible c WHERE ${quiet}) q
          GROUP BY q.open_status, q.band`
      : `SELECT 'case' AS kind, ${columns} FROM visible c`;
    const rows: Record<string, string | null>[] = await m.query(
      `WITH period_cases AS ${fence} (
         SELECT c.id, c.reference, c.category, c.status, c.outcome, c.channel,
                (c.received_at AT TIME ZONE 'Europe/London')::date AS received_on,
                c.acknowledgement_due, c.acknowledged_on, c.feedback_due, c.feedback_given_on,
                c.closed_on, c.reopened_on, c.referral_group,
                -- The mode tag of a case received in the period only: the only cases reports by mode
                -- count, and each tag costs HMACs to read (docs/dashboard.md "Reports by mode").
                CASE WHEN c.received_at >= ($2::date::timestamp AT TIME ZONE 'Europe/London')
                     THEN c.mode_tag END AS mode_tag
           FROM cases c
          WHERE c.tenant_id = nolan_current_tenant()
            AND c.received_at < (($3::date + 1)::timestamp AT TIME ZONE 'Europe/London')
            AND (c.status <> 'closed' OR c.closed_on >= $2::date OR c.reopened_on >= $2::date)),
       visible AS (
         SELECT c.* FROM period_cases c
          WHERE NOT EXISTS (SELECT 1 FROM case_exclusions e WHERE e.case_id = c.id AND e.user_id = $1)
            ${granted})
       ${select}`,
      options.compact
        ? [viewerId, period.from, period.to, options.compact.end, BAND_MAXIMA]
        : [viewerId, period.from, period.to],
    );
    const cases: CaseFacts[] = [];
    const quietCases: QuietCases[] = [];
    for (const r of rows) {
      if (r['kind'] === 'quiet') {
        quietCases.push({
          ids: (r['id'] as string).split(','),
          openStatus: r['status'],
          band: r['status'] === null ? null : (AGE_BANDS[Number(r['received_on'])]?.key ?? null),
        });
        continue;
      }
      cases.push({
        id: r['id'] as string,
        reference: (r['reference'] ?? '') as string,
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
        referralGroup: r['referral_group'] ?? null,
        modeTag: (r['mode_tag'] as unknown as Buffer | null) ?? null,
      });
    }
    return { cases, quiet: quietCases };
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

  /** The cases whose identity scope `viewerId` holds (they are its custodian), in the caller's council. */
  async identityHeld(m: EntityManager, viewerId: string): Promise<Set<string>> {
    const rows: { case_id: string }[] = await m.query(
      `SELECT case_id FROM case_grants WHERE grantee_kind = 'staff' AND grantee_id = $1 AND scope = 'identity'`,
      [viewerId],
    );
    return new Set(rows.map((r) => r.case_id));
  }
}
