/**
 * The forms that change a case: each transition with the data its stage needs (libs/domain's
 * TransitionCommand), feedback to the reporter, internal notes, recusal, asking to see the reporter's
 * identity and the custodian's decision on such a request. One GET (the form) and one POST per action;
 * a problem re-renders the form with a 400, the GOV.UK error summary and the answers kept (nothing is
 * put in a session). The API decides every rule; its messages are shown on the fields they name.
 */
import { Body, Controller, Get, Param, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  actorLabel,
  ALLEGATION_FINDINGS,
  type AllegationFindingValue,
  CASE_OUTCOME_LABELS,
  type CaseOutcome,
  EXTERNAL_BODIES,
  EXTERNAL_BODY_LABELS,
  OTHER_PROCEDURE_LABELS,
  OTHER_PROCEDURES,
  outcomeSuggestedByFindings,
} from '@nolan/domain';
import type { TransitionRequest } from '@nolan/contract';
import type { Response } from 'express';
import { ApiProblem } from '../api/api-http';
import { type CaseDetail, StaffApi, type Timeline } from '../api/staff-api';
import { formatDate, humanise } from './case-view';
import { caseRecord } from './case-record';
import { apiErrors, type FormErrors, type FormField, formErrors } from './form-errors';
import { CurrentStaff, StaffGuard } from './staff-guard';
import { StaffPageFilter } from './staff-page.filter';
import type { StaffSession } from './staff-session';

type Form = Record<string, unknown>;
const REFERENCE = /^[A-Za-z0-9-]{1,20}$/;
const MAX_TEXT = 20000;
const RECOMMENDATION_ROWS = 3;

const FINDING_LABELS: Record<string, string> = {
  substantiated: 'Substantiated',
  partially_substantiated: 'Partly substantiated',
  not_substantiated: 'Not substantiated',
  knowingly_false: 'Knowingly false (needs the decision maker’s confirmation)',
};

const TITLES: Record<string, string> = {
  acknowledged: 'Acknowledge the case',
  assessment: 'Start the assessment',
  investigation: 'Open an investigation',
  decision: 'Submit the findings',
  closed: 'Close the case',
  reopened: 'Reopen the case',
};

function text(form: Form, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Every field a transition form may have, with the API's names for it (to place its messages). */
const TRANSITION_FIELDS: FormField[] = [
  {
    id: 'proposedHandling',
    apiNames: ['firstResponse.proposedHandling', 'proposedHandling', 'firstResponse'],
  },
  { id: 'whoIsInvolved', apiNames: ['firstResponse.whoIsInvolved', 'whoIsInvolved'] },
  { id: 'estimatedTimescale', apiNames: ['firstResponse.estimatedTimescale', 'estimatedTimescale'] },
  { id: 'supportAvailable', apiNames: ['firstResponse.supportAvailable', 'supportAvailable'] },
  { id: 'outcome', apiNames: ['outcome', 'to'] },
  { id: 'reason', apiNames: ['reason'] },
  { id: 'scope', apiNames: ['plan.scope', 'plan'] },
  { id: 'allegations', apiNames: ['plan.allegations'] },
  { id: 'targetDate', apiNames: ['plan.targetDate', 'targetDate'] },
  { id: 'referralBody', apiNames: ['referral.body', 'referral'] },
  { id: 'referralDetails', apiNames: ['referral.details'] },
  { id: 'procedure', apiNames: ['procedureReferral.procedure', 'procedureReferral'] },
  { id: 'procedureDetails', apiNames: ['procedureReferral.details'] },
  { id: 'duplicateOf', apiNames: ['duplicateOf'] },
  {
    id: 'recommendation-1-action',
    apiNames: ['recommendations', 'recommendations[0]', 'recommendations[0].action'],
  },
  { id: 'recommendation-1-owner', apiNames: ['recommendations[0].owner'] },
  { id: 'recommendation-2-action', apiNames: ['recommendations[1]', 'recommendations[1].action'] },
  { id: 'recommendation-2-owner', apiNames: ['recommendations[1].owner'] },
  { id: 'recommendation-3-action', apiNames: ['recommendations[2]', 'recommendations[2].action'] },
  { id: 'recommendation-3-owner', apiNames: ['recommendations[2].owner'] },
  { id: 'knowinglyFalseConfirmed', apiNames: ['knowinglyFalseConfirmed'] },
  { id: 'noFeedbackReason', apiNames: ['noFeedbackReason'] },
];

@Controller('staff/cases/:reference')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffCaseActionsController {
  constructor(private readonly api: StaffApi) {}

  @Get('transition/:to')
  async transitionForm(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('to') to: string,
    @Res() res: Response,
  ) {
    const page = await this.transitionPage(staff, reference, to);
    if (!page) return res.status(404).render('pages/not-found');
    res.render('staff/transition', { ...page, values: {} });
  }

  @Post('transition/:to')
  async transition(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('to') to: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const page = await this.transitionPage(staff, reference, to);
    if (!page) return res.status(404).render('pages/not-found');
    const values = Object.fromEntries(
      Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string'),
    );
    const built = buildCommand(to, body, page.allegations);
    let errors: FormErrors | undefined = built.errors;
    if (!errors && built.command) {
      try {
        await this.api.transition(staff.token, reference, built.command);
        // A banner that says what happened: "The assessment has started", not "the case has moved on".
        const done = to === 'acknowledged' ? 'acknowledged' : `to-${to}`;
        return res.redirect(303, `/staff/cases/${encodeURIComponent(page.c.reference)}?done=${done}`);
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 403, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, fieldsFor(to, page.allegations.length));
      }
    }
    res.status(400).render('staff/transition', { ...page, values, errors });
  }

  @Get('feedback')
  async feedbackForm(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Res() res: Response,
  ) {
    res.render('staff/feedback', { c: await this.requireCase(staff, reference), values: {} });
  }

  @Post('feedback')
  async feedback(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const values = { actionTaken: text(body, 'actionTaken'), reasons: text(body, 'reasons') };
    const problems: { id: string; text: string }[] = [];
    if (!values.actionTaken)
      problems.push({ id: 'actionTaken', text: 'Say what action has been taken, or is planned' });
    if (!values.reasons) problems.push({ id: 'reasons', text: 'Give the reasons for that action' });
    for (const [id, value] of Object.entries(values))
      if (value.length > MAX_TEXT) problems.push({ id, text: 'This must be 20,000 characters or fewer' });
    let errors = formErrors(problems);
    if (!errors) {
      try {
        await this.api.giveFeedback(staff.token, reference, values.actionTaken, values.reasons);
        return res.redirect(303, `/staff/cases/${encodeURIComponent(reference)}?done=feedback`);
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, [
          { id: 'actionTaken', apiNames: ['actionTaken'] },
          { id: 'reasons', apiNames: ['reasons'] },
        ]);
      }
    }
    res.status(400).render('staff/feedback', { c: await this.requireCase(staff, reference), values, errors });
  }

  @Get('notes')
  async noteForm(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Res() res: Response,
  ) {
    res.render('staff/reason-form', {
      ...NOTE_FORM,
      c: await this.requireCase(staff, reference),
      values: {},
    });
  }

  @Post('notes')
  async note(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    return this.reasonAction(staff, reference, body, res, NOTE_FORM, (reason) =>
      this.api.addNote(staff.token, reference, reason).then(() => 'note'),
    );
  }

  @Get('recusal')
  async recusalForm(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Res() res: Response,
  ) {
    res.render('staff/reason-form', {
      ...RECUSAL_FORM,
      c: await this.requireCase(staff, reference),
      values: {},
    });
  }

  @Post('recusal')
  async recusal(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    return this.reasonAction(staff, reference, body, res, RECUSAL_FORM, async (reason) => {
      await this.api.recuse(staff.token, reference, reason);
      // The case is gone for this user now: the confirmation cannot be on its page.
      return null;
    });
  }

  @Get('identity-request')
  async identityRequestForm(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Res() res: Response,
  ) {
    res.render('staff/reason-form', {
      ...IDENTITY_REQUEST_FORM,
      c: await this.requireCase(staff, reference),
      values: {},
    });
  }

  @Post('identity-request')
  async identityRequest(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    return this.reasonAction(staff, reference, body, res, IDENTITY_REQUEST_FORM, (reason) =>
      this.api.requestIdentity(staff.token, reference, reason).then(() => 'identity-request'),
    );
  }

  /** The custodian's decision page: the request, its reasons, approve or refuse with reasons. */
  @Get('identity-requests/:id')
  async decisionForm(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Res() res: Response,
  ) {
    res.render('staff/identity-decision', { ...(await this.decisionPage(staff, reference, id)), values: {} });
  }

  @Post('identity-requests/:id')
  async decide(
    @CurrentStaff() staff: StaffSession,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Body() body: Form,
    @Res() res: Response,
  ) {
    const page = await this.decisionPage(staff, reference, id);
    const values = { decision: text(body, 'decision'), reason: text(body, 'reason') };
    const problems: { id: string; text: string }[] = [];
    if (values.decision !== 'approve' && values.decision !== 'refuse')
      problems.push({ id: 'decision', text: 'Select whether you approve or refuse the request' });
    if (!values.reason) problems.push({ id: 'reason', text: 'Give the reasons for your decision' });
    else if (values.reason.length > 2000)
      problems.push({ id: 'reason', text: 'Reasons must be 2,000 characters or fewer' });
    let errors = formErrors(problems);
    if (!errors) {
      try {
        const approve = values.decision === 'approve';
        await this.api.decideIdentity(staff.token, reference, id, approve, values.reason);
        return res.redirect(
          303,
          `/staff/cases/${encodeURIComponent(page.c.reference)}?done=${approve ? 'identity-approved' : 'identity-refused'}#identity`,
        );
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 403, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, [
          { id: 'decision', apiNames: ['approve'] },
          { id: 'reason', apiNames: ['reason'] },
        ]);
      }
    }
    res.status(400).render('staff/identity-decision', { ...page, values, errors });
  }

  private async decisionPage(staff: StaffSession, reference: string, id: string) {
    const c = await this.requireCase(staff, reference);
    const requests = await this.api.identityRequests(staff.token, reference);
    const request = requests.find((r) => r.id === id);
    if (!request) throw new ApiProblem(404, ['There is no such identity request on this case.']);
    const timeline = await this.api.timeline(staff.token, reference).catch(() => null);
    const asker = timeline?.events.find((e) => e.actor.id === request.requesterId)?.actor;
    const requester = asker ? actorLabel(asker) : 'A handler';
    return {
      c,
      request: { ...request, requestedOn: formatDate(request.requestedOn) },
      requester,
      section: 'cases',
    };
  }

  /** A form with one reason (a note, a recusal, an identity request): check, send, confirm. */
  private async reasonAction(
    staff: StaffSession,
    reference: string,
    body: Form,
    res: Response,
    form: ReasonForm,
    send: (reason: string) => Promise<string | null>,
  ) {
    const c = await this.requireCase(staff, reference);
    const reason = text(body, 'reason');
    let errors: FormErrors | undefined;
    if (!reason) errors = formErrors([{ id: 'reason', text: form.missing }]);
    else if (reason.length > form.maxLength)
      errors = formErrors([
        { id: 'reason', text: `This must be ${form.maxLength.toLocaleString('en-GB')} characters or fewer` },
      ]);
    if (!errors) {
      try {
        const done = await send(reason);
        if (done === null) return res.render('staff/recused', { reference: c.reference, section: 'cases' });
        return res.redirect(303, `/staff/cases/${encodeURIComponent(c.reference)}?done=${done}`);
      } catch (error) {
        if (!(error instanceof ApiProblem) || ![400, 409].includes(error.status)) throw error;
        errors = apiErrors(error.messages, [{ id: 'reason', apiNames: ['reason', 'text'] }]);
      }
    }
    res.status(400).render('staff/reason-form', { ...form, c, values: { reason }, errors });
  }

  private async requireCase(staff: StaffSession, reference: string): Promise<CaseDetail> {
    if (!REFERENCE.test(reference)) throw new ApiProblem(404, ['There is no case with this reference.']);
    return this.api.getCase(staff.token, reference);
  }

  private async transitionPage(staff: StaffSession, reference: string, to: string) {
    if (!TITLES[to]) return null;
    const c = await this.requireCase(staff, reference);
    const allowed = c.allowedTransitions.find((t) => t.to === to);
    if (!allowed) throw new ApiProblem(409, ['This case cannot make that move now.']);
    const timeline =
      to === 'decision' || to === 'closed' ? await this.api.timeline(staff.token, reference).catch(() => null) : null;
    const allegations = to === 'decision' ? planAllegations(timeline) : [];
    const record = to === 'closed' ? caseRecord(timeline) : null;
    const findings = record?.findings?.items ?? [];
    return {
      record,
      // The outcome the findings point to, said in words (libs/domain outcomeSuggestedByFindings).
      suggestedOutcome:
        c.status === 'decision' && findings.length
          ? CASE_OUTCOME_LABELS[outcomeSuggestedByFindings(findingCodes(timeline))]
          : null,
      feedbackGivenText: formatDate(c.feedbackGivenOn ?? null),
      c,
      to,
      title: TITLES[to],
      section: 'cases',
      allegations,
      findingItems: ALLEGATION_FINDINGS.map((value) => ({
        value,
        text: FINDING_LABELS[value] ?? humanise(value),
      })),
      outcomeItems: allowed.outcomes.map((value) => ({
        value,
        text: CASE_OUTCOME_LABELS[value as CaseOutcome] ?? value,
      })),
      bodyItems: [
        { value: '', text: 'Choose a body' },
        ...EXTERNAL_BODIES.map((value) => ({ value, text: EXTERNAL_BODY_LABELS[value] })),
      ],
      procedureItems: [
        { value: '', text: 'Choose a procedure' },
        ...OTHER_PROCEDURES.map((value) => ({ value, text: capitalise(OTHER_PROCEDURE_LABELS[value]) })),
      ],
      recommendationRows: Array.from({ length: RECOMMENDATION_ROWS }, (_, i) => i + 1),
      fromDecision: c.status === 'decision',
      hasExternal: allowed.outcomes.includes('referred_externally'),
      hasProcedure: allowed.outcomes.includes('referred_to_another_procedure'),
      hasDuplicate: allowed.outcomes.includes('duplicate'),
    };
  }
}

interface ReasonForm {
  readonly title: string;
  readonly action: string;
  readonly label: string;
  readonly hint: string;
  readonly lead: string;
  readonly button: string;
  readonly missing: string;
  readonly maxLength: number;
  readonly warning?: string;
}

const NOTE_FORM: ReasonForm = {
  title: 'Add an internal note',
  action: 'notes',
  label: 'Note',
  hint: 'Only the people handling this case can read notes. The reporter never sees them.',
  lead: '',
  button: 'Add note',
  missing: 'Enter your note',
  maxLength: MAX_TEXT,
};

const RECUSAL_FORM: ReasonForm = {
  title: 'Declare a conflict and step back from this case',
  action: 'recusal',
  label: 'Why are you conflicted?',
  hint: 'For example, you know someone involved, or you were part of the decision the concern is about. This is kept with the case record.',
  lead: 'If you have a conflict of interest, you must not handle this case. When you continue, you lose access to it at once and it goes to someone else under the council’s conflict routes.',
  button: 'Step back from this case',
  missing: 'Say why you are conflicted',
  maxLength: 2000,
  warning: 'You cannot undo this. Only the monitoring officer can give you access again.',
};

const IDENTITY_REQUEST_FORM: ReasonForm = {
  title: 'Ask to see the reporter’s identity',
  action: 'identity-request',
  label: 'Why do you need to know who the reporter is?',
  hint: 'The custodian (the monitoring officer, or whoever oversees this case) decides. If they approve, the reporter is told their identity was shared and why.',
  lead: 'The reporter’s identity is protected by law. Ask only if you cannot investigate the concern without it.',
  button: 'Send request',
  missing: 'Say why you need to know who the reporter is',
  maxLength: 2000,
};

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** The fields of one transition's form, for placing the API's messages; the first takes any unplaced. */
function fieldsFor(to: string, allegations: number): FormField[] {
  const ids: Record<string, string[]> = {
    acknowledged: ['proposedHandling', 'whoIsInvolved', 'estimatedTimescale', 'supportAvailable'],
    investigation: ['reason', 'scope', 'allegations', 'targetDate'],
    closed: [
      'outcome',
      'reason',
      'referralBody',
      'referralDetails',
      'procedure',
      'procedureDetails',
      'duplicateOf',
      ...Array.from({ length: RECOMMENDATION_ROWS }, (_, i) => [
        `recommendation-${i + 1}-action`,
        `recommendation-${i + 1}-owner`,
      ]).flat(),
      'knowinglyFalseConfirmed',
      'noFeedbackReason',
    ],
    reopened: ['reason'],
  };
  if (to === 'decision') {
    const fields: FormField[] = [];
    for (let i = 0; i < Math.max(1, allegations); i++)
      fields.push(
        {
          id: `finding-${i + 1}`,
          apiNames: [
            ...(i === 0 ? ['findings'] : []),
            `findings[${i}]`,
            `findings[${i}].finding`,
            `findings[${i}].allegation`,
          ],
        },
        { id: `finding-${i + 1}-reason`, apiNames: [`findings[${i}].reason`] },
      );
    return fields;
  }
  const wanted = ids[to] ?? [];
  return TRANSITION_FIELDS.filter((f) => wanted.includes(f.id)).sort(
    (a, b) => wanted.indexOf(a.id) - wanted.indexOf(b.id),
  );
}

/** The finding codes of the latest findings on the timeline, for the outcome they point to. */
function findingCodes(timeline: Timeline | null): { finding: AllegationFindingValue }[] {
  let codes: { finding: AllegationFindingValue }[] = [];
  for (const event of timeline?.events ?? []) {
    const findings = event.type === 'transition' && event.details['to'] === 'decision' ? event.content?.['findings'] : undefined;
    if (Array.isArray(findings))
      codes = findings
        .map((f) => (f && typeof f === 'object' ? (f as { finding?: unknown }).finding : undefined))
        .filter((f): f is AllegationFindingValue => (ALLEGATION_FINDINGS as readonly unknown[]).includes(f))
        .map((finding) => ({ finding }));
  }
  return codes;
}

/** The allegations of the case's current investigation plan, from the timeline (the latest plan wins). */
export function planAllegations(timeline: Timeline | null): string[] {
  let found: string[] = [];
  for (const event of timeline?.events ?? []) {
    const allegations = findPlan(event.content);
    if (allegations) found = allegations;
  }
  return found;
}

function findPlan(value: unknown, depth = 0): string[] | null {
  if (!value || typeof value !== 'object' || depth > 3) return null;
  const record = value as Record<string, unknown>;
  const plan = record.plan as { allegations?: unknown } | undefined;
  if (plan && Array.isArray(plan.allegations) && plan.allegations.every((a) => typeof a === 'string'))
    return plan.allegations as string[];
  for (const inner of Object.values(record)) {
    const found = findPlan(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/** A GOV.UK date input's answer as YYYY-MM-DD; undefined when left blank, null when not a real date. */
export function dateFrom(form: Form, prefix: string): string | undefined | null {
  const day = text(form, `${prefix}-day`);
  const month = text(form, `${prefix}-month`);
  const year = text(form, `${prefix}-year`);
  if (!day && !month && !year) return undefined;
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso ? null : iso;
}

/**
 * The transition command from the form, as POST /cases/:reference/transitions takes it. Only what the
 * form cannot express to the API is checked here (a date that is not a date); the rest is the API's.
 */
/** The parts of the first response to the reporter (EU-06), with the domain's message for each one left empty. */
const FIRST_RESPONSE_PARTS = [
  { id: 'proposedHandling', text: 'The first response must say how the concern will be handled' },
  { id: 'whoIsInvolved', text: 'The first response must say who is involved in dealing with the concern' },
  { id: 'estimatedTimescale', text: 'The first response must give an estimate of how long it will take' },
  { id: 'supportAvailable', text: 'The first response must say what support is available to the reporter' },
] as const;

export function buildCommand(
  to: string,
  form: Form,
  allegations: readonly string[],
): { command?: TransitionRequest; errors?: FormErrors } {
  switch (to) {
    case 'acknowledged': {
      const firstResponse = {
        proposedHandling: text(form, 'proposedHandling'),
        whoIsInvolved: text(form, 'whoIsInvolved'),
        estimatedTimescale: text(form, 'estimatedTimescale'),
        supportAvailable: text(form, 'supportAvailable'),
      };
      // Every empty part at once (the API names only the first it meets), in the domain's words.
      const missing = FIRST_RESPONSE_PARTS.filter(({ id }) => !firstResponse[id].trim()).map(
        ({ id, text }) => ({
          id,
          text,
        }),
      );
      return { command: { to, firstResponse }, errors: formErrors(missing) };
    }
    case 'investigation': {
      const targetDate = dateFrom(form, 'targetDate');
      const command = {
        to,
        reason: text(form, 'reason'),
        plan: {
          scope: text(form, 'scope'),
          allegations: text(form, 'allegations')
            .split(/\r?\n/)
            .map((a) => a.trim())
            .filter(Boolean),
          ...(targetDate ? { targetDate } : {}),
        },
      };
      return targetDate === null
        ? {
            command,
            errors: formErrors([
              { id: 'targetDate', text: 'The target date must be a real date, like 31 3 2026' },
            ]),
          }
        : { command };
    }
    case 'decision':
      return {
        command: {
          to,
          findings: allegations.map((allegation, i) => ({
            allegation,
            finding: text(form, `finding-${i + 1}`),
            reason: text(form, `finding-${i + 1}-reason`),
          })),
        },
      };
    case 'closed': {
      const outcome = text(form, 'outcome');
      const command: TransitionRequest & { to: 'closed' } = { to, outcome, reason: text(form, 'reason') };
      if (text(form, 'noFeedbackReason')) command.noFeedbackReason = text(form, 'noFeedbackReason');
      if (outcome === 'referred_externally')
        command.referral = {
          body: text(form, 'referralBody'),
          ...(text(form, 'referralDetails') ? { details: text(form, 'referralDetails') } : {}),
        };
      if (outcome === 'referred_to_another_procedure')
        command.procedureReferral = {
          procedure: text(form, 'procedure'),
          ...(text(form, 'procedureDetails') ? { details: text(form, 'procedureDetails') } : {}),
        };
      if (outcome === 'duplicate') command.duplicateOf = text(form, 'duplicateOf');
      const recommendations: { action: string; owner: string }[] = [];
      for (let i = 1; i <= RECOMMENDATION_ROWS; i++) {
        const action = text(form, `recommendation-${i}-action`);
        const owner = text(form, `recommendation-${i}-owner`);
        if (action || owner) recommendations.push({ action, owner });
      }
      if (recommendations.length) command.recommendations = recommendations;
      if (form.knowinglyFalseConfirmed === 'yes') command.knowinglyFalseConfirmed = true;
      return { command };
    }
    case 'reopened':
      return { command: { to, reason: text(form, 'reason') } };
    case 'assessment':
      return { command: { to } };
    default:
      // Unreachable from the pages (transitionPage answers 404 for a stage it does not know).
      return { errors: formErrors([{ id: 'to', text: 'There is no such step for a case.' }]) };
  }
}
