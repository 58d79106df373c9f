/**
 * A seeded history for the dashboard whose figures are known in advance (issue #16). Seven reports are
 * made and moved through the real API (so grants, routing, exclusions and the audit trail are real),
 * then their readable dates are set to days of the previous financial year. The audit events (the
 * assessments, the transfer, the recusal) stay on today: so a period from the start of the previous
 * financial year to today counts them, and the previous financial year alone does not.
 *
 *  A gifts, received P+10, acknowledged on day 7 exactly, feedback P+50, investigated, closed P+70 substantiated
 *  B gifts, received P+20, acknowledged on day 8, assessed, closed P+40 no further action
 *  C fraud, received P+30, acknowledged P+32, investigated, closed not substantiated, reopened P+200;
 *    the section 151 officer recused
 *  D bullying, received P+60, acknowledged P+63, assigned to one investigator then transferred to another
 *  E gifts about the monitoring officer (routed to the head of paid service), received P+80, acknowledged P+81
 *  F retaliation, received P+140, never acknowledged
 *  G other, received P+150, acknowledged P+152, feedback P+182
 */
import type { INestApplication } from '@nestjs/common';
import { addCalendarDays, computeSlaDates, financialYearOf, toLondonDate } from '@nolan/domain';
import { CaseWorld, FINDING_FOR_PLAN, FIRST_RESPONSE } from './case-fixtures';

export interface SeededCase {
  reference: string;
  id: string;
  category: string;
  receivedOn: string;
  /** Whether the report gave an identity (none of the history's does: every report is anonymous). */
  identified: boolean;
}

export interface DashboardHistory {
  world: CaseWorld;
  /** The first day of the previous financial year. */
  P: string;
  /** That financial year, by the year it starts (2025 for 2025-26). */
  previousYear: number;
  today: string;
  cases: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G', SeededCase>;
  day(offset: number): string;
}

const FEEDBACK = { actionTaken: 'We looked into it.', reasons: 'The records were checked.' };

export async function seedDashboardHistory(
  prefix = 'dash',
  options: { app?: INestApplication } = {},
): Promise<DashboardHistory> {
  const world = await CaseWorld.start(
    prefix,
    {
      mo: ['monitoring_officer'],
      hops: ['head_of_paid_service'],
      s151: ['s151_officer'],
      inv1: ['investigator'],
      inv2: ['investigator'],
      chair: ['audit_committee_chair'],
      admin: ['administrator'],
    },
    options,
  );
  const today = toLondonDate(new Date());
  const P = financialYearOf(addCalendarDays(financialYearOf(today).from, -1)).from;
  const day = (offset: number) => addCalendarDays(P, offset);
  const refs = {} as DashboardHistory['cases'];
  const submit = async (name: keyof DashboardHistory['cases'], category: string, extra: object = {}) => {
    const { reference } = await world.submit({
      category,
      answers: answersFor(category),
      ...extra,
    });
    const [row] = await world.query<{ id: string }>(`SELECT id FROM cases WHERE reference = $1`, [reference]);
    refs[name] = { reference, id: row!.id, category, receivedOn: '', identified: 'identity' in extra };
    return reference;
  };

  const a = await submit('A', 'gifts_hospitality');
  await world.runTo('mo', a, 'decision');
  await world.as('mo').post(`/cases/${a}/feedback`, FEEDBACK).expect(201);
  await world
    .move('mo', a, {
      to: 'closed',
      outcome: 'substantiated',
      reason: 'Found.',
      recommendations: [{ action: 'Train the team', owner: 'Head of HR' }],
    })
    .expect(201);

  const b = await submit('B', 'gifts_hospitality');
  await world.runTo('mo', b, 'assessment');
  await world
    .move('mo', b, {
      to: 'closed',
      outcome: 'no_further_action',
      reason: 'Dealt with.',
      noFeedbackReason:
        'The reporter has not signed in since the report; this history is not about feedback.',
    })
    .expect(201);

  const c = await submit('C', 'fraud_theft');
  await world.runTo('mo', c, 'investigation');
  await world
    .move('mo', c, {
      ...FINDING_FOR_PLAN,
      findings: [{ ...FINDING_FOR_PLAN.findings[0], finding: 'not_substantiated' }],
    })
    .expect(201);
  await world
    .move('mo', c, {
      to: 'closed',
      outcome: 'not_substantiated',
      reason: 'Not found.',
      noFeedbackReason:
        'The reporter has not signed in since the report; this history is not about feedback.',
    })
    .expect(201);
  await world.move('mo', c, { to: 'reopened', reason: 'New evidence arrived.' }).expect(201);
  await world.as('s151').post(`/cases/${c}/recusal`, { reason: 'I know the people involved.' }).expect(201);

  const d = await submit('D', 'bullying_harassment_coercion');
  await world.move('mo', d, { to: 'acknowledged', firstResponse: FIRST_RESPONSE }).expect(201);
  await world
    .as('mo')
    .post(`/cases/${d}/assignment`, { assigneeId: world.user('inv1').id })
    .expect(200);
  await world
    .as('mo')
    .post(`/cases/${d}/assignment`, { assigneeId: world.user('inv2').id })
    .expect(200);

  const e = await submit('E', 'gifts_hospitality', { involves: ['monitoring_officer'] });
  await world.move('hops', e, { to: 'acknowledged', firstResponse: FIRST_RESPONSE }).expect(201);

  await submit('F', 'retaliation');

  const g = await submit('G', 'other');
  await world.move('mo', g, { to: 'acknowledged', firstResponse: FIRST_RESPONSE }).expect(201);
  await world.as('mo').post(`/cases/${g}/feedback`, FEEDBACK).expect(201);

  // The readable dates, as if each step had happened on its day of the previous financial year.
  const set = async (
    name: keyof DashboardHistory['cases'],
    dates: { received: number; ack?: number; feedback?: number; closed?: number; reopened?: number },
  ) => {
    const receivedOn = day(dates.received);
    const acknowledgedOn = dates.ack === undefined ? null : day(dates.ack);
    const reopenedOn = dates.reopened === undefined ? null : day(dates.reopened);
    const sla = computeSlaDates({ receivedOn, acknowledgedOn, reopenedOn, clock: 'standard' });
    await world.query(
      `UPDATE cases SET received_at = ($2::date + time '10:00') AT TIME ZONE 'Europe/London',
         acknowledgement_due = $3, acknowledged_on = $4, feedback_due = $5, feedback_given_on = $6,
         closed_on = $7, reopened_on = $8
       WHERE id = $1`,
      [
        refs[name].id,
        receivedOn,
        sla.acknowledgementDue,
        acknowledgedOn,
        sla.feedbackDue,
        dates.feedback === undefined ? null : day(dates.feedback),
        dates.closed === undefined ? null : day(dates.closed),
        reopenedOn,
      ],
    );
    refs[name].receivedOn = receivedOn;
  };
  await set('A', { received: 10, ack: 17, feedback: 50, closed: 70 });
  await set('B', { received: 20, ack: 28, closed: 40 });
  await set('C', { received: 30, ack: 32, reopened: 200 });
  await set('D', { received: 60, ack: 63 });
  await set('E', { received: 80, ack: 81 });
  await set('F', { received: 140 });
  await set('G', { received: 150, ack: 152, feedback: 182 });
  return { world, P, previousYear: Number(P.slice(0, 4)), today, cases: refs, day };
}

/** Answers the intake form takes for each category used here. */
function answersFor(_category: string): Record<string, unknown> {
  return { whatHappened: 'Something happened', howYouKnow: 'saw_it', raisedBefore: 'no' };
}
