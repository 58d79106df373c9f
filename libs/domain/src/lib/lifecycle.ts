// The case state machine (docs/architecture.md "Investigation lifecycle"; docs/regulatory.md §4 stages 1-6
// and ISO-01/ISO-07): received → acknowledged → assessment → investigation → decision → closed, with
// assessment able to close directly (no further action, referred externally), withdrawal from any open
// stage, and closed → reopened → assessment for the monitoring officer.
//
// A command names the stage it moves to (`to`), exactly like the body of POST /cases/:ref/transitions,
// and carries the data that stage needs (issue #7's list): the first response on acknowledgement; the
// assessment's decision (no further action, refer to another procedure, refer externally — each a
// closure with reasons — or investigate, with a plan); findings per allegation of that plan; the
// decision by the case's overseer with recommendations and their owners; closure; reopening. What the
// command cannot carry itself (the plan it must answer, the findings the decision rests on, whether the
// actor is the case's overseer) comes in a TransitionContext the API reads from the case. applyTransition is pure: it never throws for a caller's mistake
// but refuses with a code the API maps to HTTP once (illegal_transition → 409, not_permitted → 403,
// invalid_data → 400) and an English sentence to show. The content of a command (reasons, findings) is
// case content: the API encrypts it; only the status and the outcome code stay readable.

import { isLocalDate } from './local-date';
import { HANDLER_ROLES, OVERSIGHT_ROLES, type StaffRole } from './roles';

export const CASE_STATUSES = [
  'received',
  'acknowledged',
  'assessment',
  'investigation',
  'decision',
  'closed',
  'reopened',
] as const;

export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, string>> = Object.freeze({
  received: 'Received',
  acknowledged: 'Acknowledged',
  assessment: 'Assessment',
  investigation: 'Investigation',
  decision: 'Awaiting decision',
  closed: 'Closed',
  reopened: 'Reopened',
});

/** What a closed case came to. */
export const CASE_OUTCOMES = [
  'substantiated',
  'partially_substantiated',
  'not_substantiated',
  'no_further_action',
  'referred_externally',
  'referred_to_another_procedure',
  'withdrawn',
  'duplicate',
] as const;

export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export const CASE_OUTCOME_LABELS: Readonly<Record<CaseOutcome, string>> = Object.freeze({
  substantiated: 'Substantiated',
  partially_substantiated: 'Partially substantiated',
  not_substantiated: 'Not substantiated',
  no_further_action: 'No further action',
  referred_externally: 'Referred externally',
  referred_to_another_procedure: 'Referred to another procedure',
  withdrawn: 'Withdrawn',
  duplicate: 'Duplicate of another case',
});

/**
 * The finding on one allegation. "Knowingly false" is kept apart from "not substantiated" (EU-20): it
 * is only ever recorded with reasons and confirmed by the decision maker when the case is closed.
 */
export const ALLEGATION_FINDINGS = [
  'substantiated',
  'partially_substantiated',
  'not_substantiated',
  'knowingly_false',
] as const;

export type AllegationFindingValue = (typeof ALLEGATION_FINDINGS)[number];

/** Bodies a case can be referred to when it is closed as referred externally. */
export const EXTERNAL_BODIES = [
  'police',
  'action_fraud',
  'national_crime_agency',
  'serious_fraud_office',
  'external_auditor',
  'information_commissioner',
  'regulator',
  'other',
] as const;

export type ExternalBody = (typeof EXTERNAL_BODIES)[number];

export const EXTERNAL_BODY_LABELS: Readonly<Record<ExternalBody, string>> = Object.freeze({
  police: 'The police',
  action_fraud: 'Action Fraud',
  national_crime_agency: 'National Crime Agency',
  serious_fraud_office: 'Serious Fraud Office',
  external_auditor: 'The external auditor',
  information_commissioner: 'Information Commissioner’s Office',
  regulator: 'Another regulator',
  other: 'Another body',
});

/**
 * The groups the dashboard counts referrals in (issue #16: police, external auditor, regulators, other;
 * docs/dashboard.md "What each figure counts"). Law enforcement bodies count with the police.
 */
export const EXTERNAL_BODY_GROUPS = ['police', 'external_auditor', 'regulators', 'other'] as const;

export type ExternalBodyGroup = (typeof EXTERNAL_BODY_GROUPS)[number];

export const EXTERNAL_BODY_GROUP_LABELS: Readonly<Record<ExternalBodyGroup, string>> = Object.freeze({
  police: 'Police and law enforcement (police, Action Fraud, National Crime Agency, Serious Fraud Office)',
  external_auditor: 'The external auditor',
  regulators: 'Regulators (Information Commissioner’s Office, another regulator)',
  other: 'Another body',
});

const BODY_GROUP: Readonly<Record<ExternalBody, ExternalBodyGroup>> = Object.freeze({
  police: 'police',
  action_fraud: 'police',
  national_crime_agency: 'police',
  serious_fraud_office: 'police',
  external_auditor: 'external_auditor',
  information_commissioner: 'regulators',
  regulator: 'regulators',
  other: 'other',
});

/** The group a referral's body counts in; null for anything not on the fixed list. */
export function externalBodyGroup(body: string | null | undefined): ExternalBodyGroup | null {
  return body != null && Object.prototype.hasOwnProperty.call(BODY_GROUP, body)
    ? BODY_GROUP[body as ExternalBody]
    : null;
}

/**
 * Procedures other than whistleblowing a concern can be referred to at assessment (GP-01: a personal
 * grievance goes to HR; docs/regulatory.md §4: the case keeps its register entry and the reporter is
 * told in writing that it was referred).
 */
export const OTHER_PROCEDURES = [
  'grievance',
  'disciplinary',
  'dignity_at_work',
  'corporate_complaints',
  'safeguarding',
  'councillor_code_of_conduct',
  'other',
] as const;

export type OtherProcedure = (typeof OTHER_PROCEDURES)[number];

export const OTHER_PROCEDURE_LABELS: Readonly<Record<OtherProcedure, string>> = Object.freeze({
  grievance: 'the grievance procedure',
  disciplinary: 'the disciplinary procedure',
  dignity_at_work: 'the dignity at work (bullying and harassment) procedure',
  corporate_complaints: 'the corporate complaints procedure',
  safeguarding: 'the safeguarding procedure',
  councillor_code_of_conduct: 'the councillor code of conduct complaints procedure',
  other: 'another procedure',
});

/** The longest free text one field of a transition may carry. */
export const MAX_TRANSITION_TEXT = 20000;

/** The first response to the reporter (GP-06), sent with the acknowledgement. */
export interface FirstResponse {
  /** How the concern will be dealt with. */
  readonly proposedHandling: string;
  /** Who is involved in dealing with it (roles or teams, never the reporter's line management by name). */
  readonly whoIsInvolved: string;
  /** An estimate of how long that will take. */
  readonly estimatedTimescale: string;
  /** What support is available to the reporter (EU-17). */
  readonly supportAvailable: string;
}

export interface InvestigationPlan {
  /** What the investigation covers. */
  readonly scope: string;
  /** Each allegation to be investigated, in the investigator's words. */
  readonly allegations: readonly string[];
  /** Target completion date, 'YYYY-MM-DD', if set. */
  readonly targetDate?: string;
}

export interface AllegationFinding {
  readonly allegation: string;
  readonly finding: AllegationFindingValue;
  readonly reason: string;
  /**
   * The evidence and interview records the finding rests on: ids of evidence items recorded on the
   * case during the investigation (POST /cases/:ref/evidence). Optional; each must exist on the case.
   */
  readonly evidence?: readonly string[];
}

export interface Recommendation {
  /** What should be done. */
  readonly action: string;
  /** Who is responsible for doing it (a post or team). */
  readonly owner: string;
  /** 'YYYY-MM-DD', if set. */
  readonly dueDate?: string;
}

export interface ExternalReferral {
  readonly body: ExternalBody;
  /** Which regulator or body, and any reference; required for 'regulator' and 'other'. */
  readonly details?: string;
}

export interface ProcedureReferral {
  readonly procedure: OtherProcedure;
  /** Which procedure, and any reference; required for 'other'. */
  readonly details?: string;
}

/** received → acknowledged, with the first response to the reporter. */
export interface AcknowledgeCommand {
  readonly to: 'acknowledged';
  readonly firstResponse: FirstResponse;
}

/** acknowledged or reopened → assessment. */
export interface StartAssessmentCommand {
  readonly to: 'assessment';
}

/** assessment → investigation: the assessment's decision to investigate, and the plan. */
export interface StartInvestigationCommand {
  readonly to: 'investigation';
  /** Why the assessment decided to investigate. */
  readonly reason: string;
  readonly plan: InvestigationPlan;
}

/** investigation → decision: the findings per allegation, for the decision maker. */
export interface SubmitFindingsCommand {
  readonly to: 'decision';
  readonly findings: readonly AllegationFinding[];
}

/**
 * Into closed. From assessment (its decision not to investigate): no_further_action,
 * referred_to_another_procedure or referred_externally. From decision, by the case's overseer: any
 * outcome but withdrawn and referred_to_another_procedure, with recommendations and their owners (at
 * least one when the outcome is substantiated or partially substantiated). From any open stage:
 * withdrawn.
 */
export interface CloseCommand {
  readonly to: 'closed';
  readonly outcome: CaseOutcome;
  readonly reason: string;
  /** Required when the outcome is referred_externally. */
  readonly referral?: ExternalReferral;
  /** Required when the outcome is referred_to_another_procedure. */
  readonly procedureReferral?: ProcedureReferral;
  /**
   * Required when the outcome is duplicate: the reference of the case this one duplicates, which the
   * API links to it (a case link of kind duplicate_of). Never told to the reporter.
   */
  readonly duplicateOf?: string;
  readonly recommendations?: readonly Recommendation[];
  /**
   * The decision maker's explicit confirmation, required when any finding is knowingly false (EU-20:
   * that finding needs the monitoring officer's approval and a recorded reason).
   */
  readonly knowinglyFalseConfirmed?: boolean;
  /**
   * Why the reporter cannot be given feedback (for example, they have not come back to read it and it
   * would prejudice legal proceedings to say more): the recorded reason closing needs when feedback is
   * owed and was never given (feedbackOwedAtClosure).
   */
  readonly noFeedbackReason?: string;
}

/** closed → reopened, by the monitoring officer. */
export interface ReopenCommand {
  readonly to: 'reopened';
  readonly reason: string;
}

export type TransitionCommand =
  | AcknowledgeCommand
  | StartAssessmentCommand
  | StartInvestigationCommand
  | SubmitFindingsCommand
  | CloseCommand
  | ReopenCommand;

/**
 * What the API knows about the case that the command itself does not carry. Each part is optional so
 * callers that have not read the case can still ask whether a move is legal; the API always passes the
 * parts the move needs.
 */
export interface TransitionContext {
  /** The allegations of the current investigation plan: findings must answer each exactly once. */
  readonly planAllegations?: readonly string[];
  /** The ids of the evidence and interview records on the case: findings may cite only these. */
  readonly evidenceIds?: readonly string[];
  /** The findings recorded when the investigation ended: the decision rests on them. */
  readonly findings?: readonly AllegationFindingValue[];
  /**
   * Whether the actor is the case's overseer (routeCase: the monitoring officer, or the conflict
   * route's lead in their place). Only the overseer decides an investigated case.
   */
  readonly actorIsOverseer?: boolean;
  /**
   * Whether the reporter has been given feedback since the case was received or last reopened
   * (docs/regulatory.md §4: feedback within 3 months). Closing needs it, or a recorded reason why none
   * can be given (CloseCommand.noFeedbackReason), whenever feedbackOwedAtClosure says it is owed.
   */
  readonly feedbackGiven?: boolean;
}

/**
 * Whether closing with `outcome` still owes the reporter feedback: every outcome but a withdrawal (the
 * reporter ended it) and a referral to another procedure (the closure itself tells the reporter, in
 * writing, where the concern went and why). The 3-month feedback duty does not end because the case
 * does: without this rule a case closed before any feedback leaves the reporter with none at all.
 */
export function feedbackOwedAtClosure(outcome: CaseOutcome): boolean {
  return outcome !== 'withdrawn' && outcome !== 'referred_to_another_procedure';
}

/** The refusal when a case would close owing the reporter feedback (a 409: give it first). */
export const FEEDBACK_OWED_REASON =
  'The reporter has not been given any feedback on this case. Give them feedback on the outcome ' +
  'before you close it, or record why no feedback can be given (noFeedbackReason).';

export type TransitionRefusalCode = 'illegal_transition' | 'not_permitted' | 'invalid_data';

export type TransitionResult =
  | {
      readonly ok: true;
      readonly from: CaseStatus;
      readonly to: CaseStatus;
      /** The outcome the case now carries: set when `to` is closed, null otherwise. */
      readonly outcome: CaseOutcome | null;
    }
  | {
      readonly ok: false;
      readonly code: TransitionRefusalCode;
      /** A sentence for the person who tried, naming the field when data is missing. */
      readonly reason: string;
      /** The path of the offending field, for invalid_data. */
      readonly field?: string;
    };

export interface AllowedTransition {
  readonly to: CaseStatus;
  /** For `to: 'closed'`, the outcomes allowed from here; empty otherwise. */
  readonly outcomes: readonly CaseOutcome[];
}

type Refusal = Extract<TransitionResult, { ok: false }>;

const ASSESSMENT_OUTCOMES: readonly CaseOutcome[] = [
  'no_further_action',
  'referred_externally',
  'referred_to_another_procedure',
  'duplicate',
];
const NEEDS_RECOMMENDATIONS: readonly CaseOutcome[] = ['substantiated', 'partially_substantiated'];
const REOPEN_ROLES: readonly StaffRole[] = ['monitoring_officer'];

const SOURCES: Readonly<Record<Exclude<CaseStatus, 'closed'>, readonly CaseStatus[]>> = {
  received: [],
  acknowledged: ['received'],
  assessment: ['acknowledged', 'reopened'],
  investigation: ['assessment'],
  decision: ['investigation'],
  reopened: ['closed'],
};

const MOVES: Readonly<Record<CaseStatus, string>> = {
  received: 'be received',
  acknowledged: 'be acknowledged',
  assessment: 'move to assessment',
  investigation: 'move to investigation',
  decision: 'move to decision',
  closed: 'be closed',
  reopened: 'be reopened',
};

const WHERE: Readonly<Record<CaseStatus, string>> = {
  received: 'has only been received',
  acknowledged: 'has been acknowledged',
  assessment: 'is in assessment',
  investigation: 'is in investigation',
  decision: 'is awaiting a decision',
  closed: 'is closed',
  reopened: 'has been reopened',
};

/**
 * Applies a command to a case in `state`, on behalf of someone holding `actorRoles` on the case.
 * Checks, in order: the command names a known stage (and outcome), the move is legal from `state`, the
 * actor's roles allow it (and, for the decision on an investigated case, that the actor is its overseer
 * when `context.actorIsOverseer` says), the data the stage needs is present, not blank and not too long,
 * and it fits the case (`context`: findings answer every allegation of the plan once; a knowingly false
 * finding is confirmed by the decision maker).
 * The caller must separately check the actor holds a grant for the case.
 * @throws RangeError when `state` is not a case status: that is a bug in the caller, not bad input.
 */
export function applyTransition(
  state: CaseStatus,
  command: TransitionCommand,
  actorRoles: readonly StaffRole[],
  context: TransitionContext = {},
): TransitionResult {
  if (!(CASE_STATUSES as readonly string[]).includes(state)) {
    throw new RangeError(`"${String(state)}" is not a case status.`);
  }
  const input = asRecord(command);
  const to = input['to'];
  if (!isOneOf(CASE_STATUSES, to) || to === 'received') {
    return invalid(
      'to',
      `Say which stage the case should move to (to): one of ${orList(CASE_STATUSES.filter((s) => s !== 'received'))}.`,
    );
  }
  let outcome: CaseOutcome | null = null;
  if (to === 'closed') {
    const value = input['outcome'];
    if (!isOneOf(CASE_OUTCOMES, value)) {
      return invalid('outcome', `Say what the outcome is (outcome): one of ${orList(CASE_OUTCOMES)}.`);
    }
    outcome = value;
  }

  const illegal = checkLegal(state, to, outcome);
  if (illegal) return illegal;

  const allowedRoles = rolesFor(state, to, outcome);
  // The case's overseer decides its investigation whatever their role: the council's fallback overseer
  // (the chair of the audit committee, say) oversees a case every oversight role is involved in.
  const overseerDecides = isInvestigatedDecision(state, to, outcome) && context.actorIsOverseer === true;
  if (!overseerDecides && !actorRoles.some((role) => allowedRoles.includes(role))) {
    return { ok: false, code: 'not_permitted', reason: notPermittedReason(to, state, outcome) };
  }
  if (isInvestigatedDecision(state, to, outcome) && context.actorIsOverseer === false) {
    return {
      ok: false,
      code: 'not_permitted',
      reason:
        'Only the overseer of this case (the monitoring officer, or whoever oversees it in their place ' +
        'under the conflict routes) can decide the outcome of its investigation.',
    };
  }

  const problem = checkData(state, to, outcome, input) ?? checkFit(state, to, outcome, input, context);
  if (problem) return problem;

  return { ok: true, from: state, to, outcome };
}

/**
 * The moves possible from `state`; with `actorRoles`, only those the roles may make. The data each needs
 * is not checked here.
 */
export function allowedTransitions(
  state: CaseStatus,
  actorRoles?: readonly StaffRole[],
): AllowedTransition[] {
  const permitted = (to: CaseStatus, outcome: CaseOutcome | null): boolean =>
    checkLegal(state, to, outcome) === null &&
    (actorRoles === undefined || actorRoles.some((role) => rolesFor(state, to, outcome).includes(role)));
  const result: AllowedTransition[] = [];
  for (const to of CASE_STATUSES) {
    if (to === 'received') continue;
    if (to === 'closed') {
      const outcomes = CASE_OUTCOMES.filter((outcome) => permitted(to, outcome));
      if (outcomes.length > 0) result.push({ to, outcomes });
    } else if (permitted(to, null)) {
      result.push({ to, outcomes: [] });
    }
  }
  return result;
}

/**
 * The outcome that the findings point to, to pre-select on the decision page: substantiated when every
 * allegation is, not substantiated when none is (knowingly false counts as not), partially otherwise.
 */
export function outcomeSuggestedByFindings(
  findings: readonly Pick<AllegationFinding, 'finding'>[],
): 'substantiated' | 'partially_substantiated' | 'not_substantiated' {
  const upheld = findings.filter((f) => f.finding === 'substantiated').length;
  const partly = findings.filter((f) => f.finding === 'partially_substantiated').length;
  if (findings.length > 0 && upheld === findings.length) return 'substantiated';
  if (upheld + partly === 0) return 'not_substantiated';
  return 'partially_substantiated';
}

function checkLegal(state: CaseStatus, to: CaseStatus, outcome: CaseOutcome | null): Refusal | null {
  if (to !== 'closed') {
    const sources = SOURCES[to as Exclude<CaseStatus, 'closed'>];
    if (sources.includes(state)) return null;
    if (to === 'reopened') return illegal(`Only a closed case can be reopened; this case ${WHERE[state]}.`);
    return illegal(`A case can only ${MOVES[to]} from ${orList(sources)}; this case ${WHERE[state]}.`);
  }
  if (outcome === 'withdrawn') {
    return state === 'closed'
      ? illegal('A closed case cannot be withdrawn; reopen it first if the reporter withdraws.')
      : null;
  }
  if (state !== 'assessment' && state !== 'decision') {
    return illegal(`A case can only be closed from assessment or decision; this case ${WHERE[state]}.`);
  }
  if (state === 'assessment' && outcome !== null && !ASSESSMENT_OUTCOMES.includes(outcome)) {
    return illegal(
      `At assessment a case can only be closed as no further action, referred to another procedure, ` +
        `referred externally or a duplicate of another case; an outcome of ${CASE_OUTCOME_LABELS[outcome].toLowerCase()} needs an ` +
        `investigation and a decision.`,
    );
  }
  if (state === 'decision' && outcome === 'duplicate') {
    return illegal(
      'A duplicate is found at assessment; after an investigation, decide the outcome on its findings ' +
        'and link the other case.',
    );
  }
  if (state === 'decision' && outcome === 'referred_to_another_procedure') {
    return illegal(
      'Referral to another procedure is an assessment decision; after an investigation, decide the ' +
        'outcome and record the referral (to HR, for example) as a recommendation with its owner.',
    );
  }
  return null;
}

/**
 * Whether closing the case this way needs its overseer's agreement (issue #15: an implicated handler
 * must not bury a concern). Every closing other than the overseer's own decision on an investigation —
 * no further action, a referral or a duplicate at assessment, a withdrawal at any stage — by someone who
 * is neither the case's overseer nor holds an oversight role (the statutory officers, accountable for the
 * cases they own) takes effect only once the overseer has agreed to it.
 */
export function closingNeedsAgreement(
  state: CaseStatus,
  to: CaseStatus,
  outcome: CaseOutcome | null,
  actorRoles: readonly StaffRole[],
  actorIsOverseer: boolean,
): boolean {
  if (to !== 'closed' || isInvestigatedDecision(state, to, outcome)) return false;
  return !actorIsOverseer && !actorRoles.some((role) => OVERSIGHT_ROLES.includes(role));
}

/** The decision on an investigated case: the overseer's, not any handler's. */
function isInvestigatedDecision(state: CaseStatus, to: CaseStatus, outcome: CaseOutcome | null): boolean {
  return to === 'closed' && state === 'decision' && outcome !== 'withdrawn';
}

function rolesFor(state: CaseStatus, to: CaseStatus, outcome: CaseOutcome | null): readonly StaffRole[] {
  if (to === 'reopened') return REOPEN_ROLES;
  if (isInvestigatedDecision(state, to, outcome)) return OVERSIGHT_ROLES;
  return HANDLER_ROLES;
}

function notPermittedReason(to: CaseStatus, state: CaseStatus, outcome: CaseOutcome | null): string {
  if (to === 'reopened') return 'Only the monitoring officer can reopen a closed case.';
  if (isInvestigatedDecision(state, to, outcome)) {
    return (
      'Only the monitoring officer, the deputy monitoring officer, the head of paid service or the ' +
      'section 151 officer can decide the outcome of an investigation.'
    );
  }
  const action: Readonly<Record<CaseStatus, string>> = {
    received: 'receive a case',
    acknowledged: 'acknowledge a case',
    assessment: 'start an assessment',
    investigation: 'open an investigation',
    decision: 'submit findings',
    closed: outcome === 'withdrawn' ? 'record a withdrawal' : 'close a case',
    reopened: 'reopen a case',
  };
  return `Only a case handler can ${action[to]}.`;
}

function checkData(
  state: CaseStatus,
  to: CaseStatus,
  outcome: CaseOutcome | null,
  input: Record<string, unknown>,
): Refusal | null {
  switch (to) {
    case 'acknowledged': {
      const response = input['firstResponse'];
      if (!isRecord(response)) {
        return invalid(
          'firstResponse',
          'An acknowledgement needs the first response to the reporter (firstResponse).',
        );
      }
      return (
        requireText(
          response,
          'proposedHandling',
          'firstResponse.',
          'The first response must say how the concern will be handled',
        ) ??
        requireText(
          response,
          'whoIsInvolved',
          'firstResponse.',
          'The first response must say who is involved in dealing with the concern',
        ) ??
        requireText(
          response,
          'estimatedTimescale',
          'firstResponse.',
          'The first response must give an estimate of how long it will take',
        ) ??
        requireText(
          response,
          'supportAvailable',
          'firstResponse.',
          'The first response must say what support is available to the reporter',
        )
      );
    }
    case 'investigation': {
      const reasonProblem = requireText(
        input,
        'reason',
        '',
        'Give the reason the assessment decided to investigate',
      );
      if (reasonProblem) return reasonProblem;
      const plan = input['plan'];
      if (!isRecord(plan)) return invalid('plan', 'An investigation needs a plan (plan).');
      const scopeProblem = requireText(
        plan,
        'scope',
        'plan.',
        'The investigation plan must set out its scope',
      );
      if (scopeProblem) return scopeProblem;
      const allegations = plan['allegations'];
      if (!Array.isArray(allegations) || allegations.length === 0) {
        return invalid(
          'plan.allegations',
          'The investigation plan must list at least one allegation (plan.allegations).',
        );
      }
      for (const [i, allegation] of allegations.entries()) {
        const problem = requireText(
          { [`allegations[${i}]`]: allegation },
          `allegations[${i}]`,
          'plan.',
          `Allegation ${i + 1} in the plan is blank`,
        );
        if (problem) return problem;
      }
      const repeated = allegations.findIndex((a, i) => allegations.findIndex((b) => sameText(a, b)) !== i);
      if (repeated >= 0) {
        return invalid(
          `plan.allegations[${repeated}]`,
          `Allegation ${repeated + 1} in the plan repeats an earlier one; list each allegation once (plan.allegations[${repeated}]).`,
        );
      }
      return optionalDate(plan, 'targetDate', 'plan.', "The plan's target date");
    }
    case 'decision': {
      const findings = input['findings'];
      if (!Array.isArray(findings) || findings.length === 0) {
        return invalid('findings', 'Record a finding for at least one allegation (findings).');
      }
      for (const [i, finding] of findings.entries()) {
        const path = `findings[${i}].`;
        if (!isRecord(finding))
          return invalid(`findings[${i}]`, `Finding ${i + 1} is missing (findings[${i}]).`);
        const problem =
          requireText(
            finding,
            'allegation',
            path,
            `Finding ${i + 1} must say which allegation it is about`,
          ) ??
          (isOneOf(ALLEGATION_FINDINGS, finding['finding'])
            ? null
            : invalid(
                `${path}finding`,
                `Finding ${i + 1} must be one of ${orList(ALLEGATION_FINDINGS)} (${path}finding).`,
              )) ??
          requireText(finding, 'reason', path, `Finding ${i + 1} must give its reasons`) ??
          checkEvidenceList(finding['evidence'], `${path}evidence`, i);
        if (problem) return problem;
      }
      return null;
    }
    case 'closed':
      return checkClosure(state, outcome as CaseOutcome, input);
    case 'reopened':
      return requireText(input, 'reason', '', 'Give the reason for reopening the case');
    default:
      return null;
  }
}

/** A finding's evidence: absent, or a list of distinct item ids. */
function checkEvidenceList(value: unknown, path: string, i: number): Refusal | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length > 100) {
    return invalid(path, `Finding ${i + 1}'s evidence must be a list of evidence ids (${path}).`);
  }
  for (const [j, id] of value.entries()) {
    if (typeof id !== 'string' || !UUID.test(id)) {
      return invalid(
        `${path}[${j}]`,
        `Finding ${i + 1}'s evidence ${j + 1} is not an evidence id (${path}[${j}]).`,
      );
    }
    if (value.indexOf(id) !== j) {
      return invalid(`${path}[${j}]`, `Finding ${i + 1} cites evidence ${j + 1} twice (${path}[${j}]).`);
    }
  }
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether the data fits the case as it stands: findings answer the plan's allegations one to one, and
 * a knowingly false finding is confirmed by whoever decides (EU-20).
 */
function checkFit(
  state: CaseStatus,
  to: CaseStatus,
  outcome: CaseOutcome | null,
  input: Record<string, unknown>,
  context: TransitionContext,
): Refusal | null {
  if (to === 'decision' && context.evidenceIds !== undefined) {
    const known = new Set(context.evidenceIds.map((id) => id.toLowerCase()));
    for (const [i, finding] of (input['findings'] as readonly Record<string, unknown>[]).entries()) {
      const cited = (finding['evidence'] as readonly string[] | undefined) ?? [];
      const j = cited.findIndex((id) => !known.has(id.toLowerCase()));
      if (j >= 0) {
        return invalid(
          `findings[${i}].evidence[${j}]`,
          `Finding ${i + 1} cites evidence that is not recorded on this case (findings[${i}].evidence[${j}]).`,
        );
      }
    }
  }
  if (to === 'decision' && context.planAllegations !== undefined) {
    const findings = input['findings'] as readonly Record<string, unknown>[];
    const plan = context.planAllegations;
    const answered = new Set<number>();
    for (const [i, finding] of findings.entries()) {
      const index = plan.findIndex((allegation) => sameText(allegation, finding['allegation']));
      if (index < 0) {
        return invalid(
          `findings[${i}].allegation`,
          `Finding ${i + 1} is about an allegation that is not in the investigation plan; use the ` +
            `allegation's words from the plan (findings[${i}].allegation).`,
        );
      }
      if (answered.has(index)) {
        return invalid(
          `findings[${i}].allegation`,
          `Finding ${i + 1} repeats allegation ${index + 1} of the plan; give one finding per allegation (findings[${i}].allegation).`,
        );
      }
      answered.add(index);
    }
    const missing = plan.map((_, i) => i).filter((i) => !answered.has(i));
    if (missing.length > 0) {
      const numbers = orList(missing.map((i) => String(i + 1))).replace(/ or /, ' and ');
      return invalid(
        'findings',
        `Record a finding for every allegation in the investigation plan: allegation${missing.length > 1 ? 's' : ''} ${numbers} ${missing.length > 1 ? 'have' : 'has'} none (findings).`,
      );
    }
  }
  if (
    isInvestigatedDecision(state, to, outcome) &&
    context.findings?.includes('knowingly_false') === true &&
    input['knowinglyFalseConfirmed'] !== true
  ) {
    return invalid(
      'knowinglyFalseConfirmed',
      'A finding that the report was knowingly false needs the decision maker to confirm it ' +
        '(knowinglyFalseConfirmed: true), with the reasons in reason (knowinglyFalseConfirmed).',
    );
  }
  // Last: the data is right, but the reporter is still owed feedback (a 409, not a 400).
  if (
    to === 'closed' &&
    outcome !== null &&
    feedbackOwedAtClosure(outcome) &&
    context.feedbackGiven === false &&
    !isText(input['noFeedbackReason'])
  ) {
    return illegal(FEEDBACK_OWED_REASON);
  }
  return null;
}

/**
 * The command as it will be recorded: only the fields its stage defines, text trimmed, so nothing a
 * client adds on the side is stored. Call it only on a command applyTransition accepted.
 */
export function recordedTransitionData(command: TransitionCommand): TransitionCommand {
  const text = (value: string | undefined): string | undefined => value?.trim();
  switch (command.to) {
    case 'acknowledged': {
      const r = command.firstResponse;
      return {
        to: command.to,
        firstResponse: {
          proposedHandling: r.proposedHandling.trim(),
          whoIsInvolved: r.whoIsInvolved.trim(),
          estimatedTimescale: r.estimatedTimescale.trim(),
          supportAvailable: r.supportAvailable.trim(),
        },
      };
    }
    case 'assessment':
      return { to: command.to };
    case 'investigation':
      return {
        to: command.to,
        reason: command.reason.trim(),
        plan: {
          scope: command.plan.scope.trim(),
          allegations: command.plan.allegations.map((a) => a.trim()),
          ...(command.plan.targetDate === undefined ? {} : { targetDate: command.plan.targetDate }),
        },
      };
    case 'decision':
      return {
        to: command.to,
        findings: command.findings.map((f) => ({
          allegation: f.allegation.trim(),
          finding: f.finding,
          reason: f.reason.trim(),
          ...(f.evidence && f.evidence.length > 0
            ? { evidence: f.evidence.map((id) => id.toLowerCase()) }
            : {}),
        })),
      };
    case 'closed':
      return {
        to: command.to,
        outcome: command.outcome,
        reason: command.reason.trim(),
        ...(command.outcome === 'referred_externally' && command.referral
          ? {
              referral: {
                body: command.referral.body,
                ...(command.referral.details === undefined
                  ? {}
                  : { details: text(command.referral.details) }),
              },
            }
          : {}),
        ...(command.outcome === 'referred_to_another_procedure' && command.procedureReferral
          ? {
              procedureReferral: {
                procedure: command.procedureReferral.procedure,
                ...(command.procedureReferral.details === undefined
                  ? {}
                  : { details: text(command.procedureReferral.details) }),
              },
            }
          : {}),
        ...(command.outcome === 'duplicate' &&
        command.duplicateOf !== undefined &&
        isText(command.duplicateOf)
          ? { duplicateOf: command.duplicateOf.trim().toUpperCase() }
          : {}),
        ...(command.recommendations && command.recommendations.length > 0
          ? {
              recommendations: command.recommendations.map((r) => ({
                action: r.action.trim(),
                owner: r.owner.trim(),
                ...(r.dueDate === undefined ? {} : { dueDate: r.dueDate }),
              })),
            }
          : {}),
        ...(command.knowinglyFalseConfirmed === true ? { knowinglyFalseConfirmed: true } : {}),
        ...(isText(command.noFeedbackReason) ? { noFeedbackReason: text(command.noFeedbackReason) } : {}),
      };
    case 'reopened':
      return { to: command.to, reason: command.reason.trim() };
  }
}

function checkClosure(
  state: CaseStatus,
  outcome: CaseOutcome,
  input: Record<string, unknown>,
): Refusal | null {
  const reasonProblem = requireText(
    input,
    'reason',
    '',
    outcome === 'withdrawn' ? 'Give the reason for the withdrawal' : 'Give the reason for closing the case',
  );
  if (reasonProblem) return reasonProblem;
  if (input['noFeedbackReason'] !== undefined) {
    const problem = requireText(
      input,
      'noFeedbackReason',
      '',
      'Give the reason no feedback can be given, or leave it out',
    );
    if (problem) return problem;
  }
  if (outcome === 'duplicate') {
    const problem = requireText(
      input,
      'duplicateOf',
      '',
      'Give the reference of the case this one duplicates',
    );
    if (problem) return problem;
  }
  if (outcome === 'referred_to_another_procedure') {
    const referral = input['procedureReferral'];
    if (!isRecord(referral) || !isOneOf(OTHER_PROCEDURES, referral['procedure'])) {
      return invalid(
        'procedureReferral.procedure',
        `Say which procedure the case was referred to (procedureReferral.procedure): one of ${orList(OTHER_PROCEDURES)}.`,
      );
    }
    if (referral['procedure'] === 'other') {
      const problem = requireText(
        referral,
        'details',
        'procedureReferral.',
        'Name the procedure the case was referred to',
      );
      if (problem) return problem;
    } else if (referral['details'] !== undefined) {
      const problem = requireText(
        referral,
        'details',
        'procedureReferral.',
        'Leave out the details of the referral, or give them as text',
      );
      if (problem) return problem;
    }
  }
  if (outcome === 'referred_externally') {
    const referral = input['referral'];
    if (!isRecord(referral) || !isOneOf(EXTERNAL_BODIES, referral['body'])) {
      return invalid(
        'referral.body',
        `Say which body the case was referred to (referral.body): one of ${orList(EXTERNAL_BODIES)}.`,
      );
    }
    if (referral['body'] === 'regulator' || referral['body'] === 'other') {
      const problem = requireText(referral, 'details', 'referral.', 'Name the body the case was referred to');
      if (problem) return problem;
    }
  }
  const recommendations = input['recommendations'];
  if (recommendations === undefined || (Array.isArray(recommendations) && recommendations.length === 0)) {
    if (state === 'decision' && NEEDS_RECOMMENDATIONS.includes(outcome)) {
      return invalid(
        'recommendations',
        `An outcome of ${CASE_OUTCOME_LABELS[outcome].toLowerCase()} needs at least one recommendation with an owner (recommendations).`,
      );
    }
    return null;
  }
  if (!Array.isArray(recommendations)) {
    return invalid('recommendations', 'Recommendations must be a list (recommendations).');
  }
  for (const [i, recommendation] of recommendations.entries()) {
    const path = `recommendations[${i}].`;
    if (!isRecord(recommendation)) {
      return invalid(`recommendations[${i}]`, `Recommendation ${i + 1} is missing (recommendations[${i}]).`);
    }
    const problem =
      requireText(recommendation, 'action', path, `Recommendation ${i + 1} must say what should be done`) ??
      requireText(recommendation, 'owner', path, `Recommendation ${i + 1} needs an owner`) ??
      optionalDate(recommendation, 'dueDate', path, `The due date of recommendation ${i + 1}`);
    if (problem) return problem;
  }
  return null;
}

function requireText(
  record: Record<string, unknown>,
  key: string,
  prefix: string,
  sentence: string,
): Refusal | null {
  const value = record[key];
  if (!isText(value)) return invalid(`${prefix}${key}`, `${sentence} (${prefix}${key}).`);
  if ((value as string).length > MAX_TRANSITION_TEXT) {
    return invalid(
      `${prefix}${key}`,
      `Keep ${prefix}${key} to ${MAX_TRANSITION_TEXT} characters; add longer documents as evidence (${prefix}${key}).`,
    );
  }
  return null;
}

function optionalDate(
  record: Record<string, unknown>,
  key: string,
  prefix: string,
  subject: string,
): Refusal | null {
  const value = record[key];
  if (value === undefined || isLocalDate(value)) return null;
  return invalid(`${prefix}${key}`, `${subject} must be a date in the form YYYY-MM-DD (${prefix}${key}).`);
}

function invalid(field: string, reason: string): Refusal {
  return { ok: false, code: 'invalid_data', reason, field };
}

function illegal(reason: string): Refusal {
  return { ok: false, code: 'illegal_transition', reason };
}

/** Allegations are matched by their words, ignoring surrounding space and case. */
function sameText(a: unknown, b: unknown): boolean {
  return isText(a) && isText(b) && (a as string).trim().toLowerCase() === (b as string).trim().toLowerCase();
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

function orList(values: readonly string[]): string {
  const words = values.map((v) => v.replace(/_/g, ' '));
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}
