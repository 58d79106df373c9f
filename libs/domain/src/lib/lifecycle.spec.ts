// The case state machine (docs/architecture.md "Investigation lifecycle"). Example tests pin the sentences
// people see; a model-based test (fast-check examples/004-stateMachine style) runs random command sequences
// against a small independent model of which moves are legal, for whom, with which data.
import fc from 'fast-check';
import {
  CASE_OUTCOMES,
  CASE_STATUSES,
  allowedTransitions,
  applyTransition,
  FEEDBACK_OWED_REASON,
  feedbackOwedAtClosure,
  outcomeSuggestedByFindings,
  type CaseOutcome,
  type CaseStatus,
  type CloseCommand,
  type TransitionCommand,
  type TransitionContext,
  recordedTransitionData,
} from './lifecycle';
import { STAFF_ROLES, type StaffRole } from './roles';

const MO: StaffRole[] = ['monitoring_officer'];
const INVESTIGATOR: StaffRole[] = ['investigator'];

const acknowledge: TransitionCommand = {
  to: 'acknowledged',
  firstResponse: {
    proposedHandling: 'The monitoring officer will assess the concern.',
    whoIsInvolved: 'The monitoring officer and an investigator from internal audit.',
    estimatedTimescale: 'We expect to decide how to proceed within 15 working days.',
    supportAvailable: 'You can call the Protect advice line or the employee assistance programme.',
  },
};
const investigate: TransitionCommand = {
  to: 'investigation',
  reason: 'The allegation is specific and can be checked against the expenses system.',
  plan: {
    scope: 'Expense claims, January to June.',
    allegations: ['Claims for journeys not made.'],
    targetDate: '2026-03-31',
  },
};
const findings: TransitionCommand = {
  to: 'decision',
  findings: [
    { allegation: 'Claims for journeys not made.', finding: 'substantiated', reason: 'Mileage logs.' },
  ],
};
const closeSubstantiated: TransitionCommand = {
  to: 'closed',
  outcome: 'substantiated',
  reason: 'The claims were false.',
  recommendations: [{ action: 'Recover the overpayment.', owner: 'Head of finance', dueDate: '2026-06-30' }],
};

describe('case lifecycle', () => {
  it('runs a case from received to closed with the data each stage needs', () => {
    let state: CaseStatus = 'received';
    for (const [command, roles] of [
      [acknowledge, INVESTIGATOR],
      [{ to: 'assessment' }, INVESTIGATOR],
      [investigate, INVESTIGATOR],
      [findings, INVESTIGATOR],
      [closeSubstantiated, MO],
    ] as const) {
      const result = applyTransition(state, command, roles);
      if (!result.ok) throw new Error(result.reason);
      expect(result.from).toBe(state);
      expect(result.to).toBe(command.to);
      state = result.to;
    }
    expect(state).toBe('closed');
  });

  it('carries the outcome into closed, and none into any other stage', () => {
    expect(applyTransition('decision', closeSubstantiated, MO)).toEqual({
      ok: true,
      from: 'decision',
      to: 'closed',
      outcome: 'substantiated',
    });
    expect(applyTransition('received', acknowledge, INVESTIGATOR)).toMatchObject({ ok: true, outcome: null });
  });

  it('refuses to close a case from investigation, saying where it can be closed from', () => {
    expect(applyTransition('investigation', closeSubstantiated, MO)).toEqual({
      ok: false,
      code: 'illegal_transition',
      reason: 'A case can only be closed from assessment or decision; this case is in investigation.',
    });
    expect(
      applyTransition('investigation', { to: 'closed', outcome: 'no_further_action', reason: 'None.' }, MO),
    ).toMatchObject({ code: 'illegal_transition' });
  });

  it('closes at assessment only as no further action, referred to another procedure or referred externally', () => {
    const nfa = applyTransition(
      'assessment',
      { to: 'closed', outcome: 'no_further_action', reason: 'The matter is a personal grievance.' },
      INVESTIGATOR,
    );
    expect(nfa).toEqual({ ok: true, from: 'assessment', to: 'closed', outcome: 'no_further_action' });
    const substantiated = applyTransition('assessment', closeSubstantiated, MO);
    expect(substantiated).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(!substantiated.ok && substantiated.reason).toBe(
      'At assessment a case can only be closed as no further action, referred to another procedure, referred externally or a duplicate of another case; an outcome of substantiated needs an investigation and a decision.',
    );
  });

  it('closes a duplicate at assessment only when it names the case it duplicates, and never after a decision', () => {
    const base = { to: 'closed', outcome: 'duplicate', reason: 'Reported already.' } as const;
    expect(applyTransition('assessment', base, INVESTIGATOR)).toEqual({
      ok: false,
      code: 'invalid_data',
      field: 'duplicateOf',
      reason: 'Give the reference of the case this one duplicates (duplicateOf).',
    });
    const named = { ...base, duplicateOf: ' nol-2026-000001 ' };
    expect(applyTransition('assessment', named, INVESTIGATOR)).toEqual({
      ok: true,
      from: 'assessment',
      to: 'closed',
      outcome: 'duplicate',
    });
    expect(recordedTransitionData(named)).toMatchObject({ duplicateOf: 'NOL-2026-000001' });
    expect(recordedTransitionData({ ...named, outcome: 'no_further_action' })).not.toHaveProperty(
      'duplicateOf',
    );
    const decided = applyTransition('decision', named, MO);
    expect(decided).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(!decided.ok && decided.reason).toMatch(/^A duplicate is found at assessment/);
  });

  it('refers a case externally only when it says to whom', () => {
    const base = { to: 'closed', outcome: 'referred_externally', reason: 'Possible offence.' } as const;
    expect(applyTransition('assessment', base, INVESTIGATOR)).toMatchObject({
      ok: false,
      code: 'invalid_data',
      field: 'referral.body',
    });
    expect(
      applyTransition('assessment', { ...base, referral: { body: 'regulator', details: ' ' } }, INVESTIGATOR),
    ).toEqual({
      ok: false,
      code: 'invalid_data',
      field: 'referral.details',
      reason: 'Name the body the case was referred to (referral.details).',
    });
    expect(
      applyTransition('assessment', { ...base, referral: { body: 'police' } }, INVESTIGATOR),
    ).toMatchObject({
      ok: true,
      outcome: 'referred_externally',
    });
  });

  it('refuses to close a case without an outcome', () => {
    const result = applyTransition(
      'decision',
      { to: 'closed', reason: 'Done.' } as unknown as CloseCommand,
      MO,
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid_data', field: 'outcome' });
    expect(!result.ok && result.reason).toMatch(
      /^Say what the outcome is \(outcome\): one of substantiated, /,
    );
  });

  it('refuses an acknowledgement whose first response leaves out the proposed handling, naming the field', () => {
    const command = {
      to: 'acknowledged',
      firstResponse: { ...acknowledge.firstResponse, proposedHandling: '  ' },
    };
    expect(applyTransition('received', command as TransitionCommand, INVESTIGATOR)).toEqual({
      ok: false,
      code: 'invalid_data',
      field: 'firstResponse.proposedHandling',
      reason: 'The first response must say how the concern will be handled (firstResponse.proposedHandling).',
    });
    expect(
      applyTransition('received', { to: 'acknowledged' } as TransitionCommand, INVESTIGATOR),
    ).toMatchObject({ field: 'firstResponse' });
  });

  it('needs a plan with at least one allegation to investigate', () => {
    const noAllegations = {
      ...investigate,
      plan: { scope: 'Expenses.', allegations: [] },
    } as TransitionCommand;
    expect(applyTransition('assessment', noAllegations, INVESTIGATOR)).toMatchObject({
      field: 'plan.allegations',
      reason: 'The investigation plan must list at least one allegation (plan.allegations).',
    });
    const blank = {
      ...investigate,
      plan: { scope: 'Expenses.', allegations: ['One.', ''] },
    } as TransitionCommand;
    expect(applyTransition('assessment', blank, INVESTIGATOR)).toMatchObject({
      field: 'plan.allegations[1]',
    });
    const badDate = { ...investigate, plan: { scope: 'x', allegations: ['y'], targetDate: '31/03/2026' } };
    expect(applyTransition('assessment', badDate as TransitionCommand, INVESTIGATOR)).toMatchObject({
      field: 'plan.targetDate',
    });
  });

  it('needs a finding with reasons for each allegation, including knowingly false', () => {
    expect(applyTransition('investigation', { to: 'decision', findings: [] }, INVESTIGATOR)).toMatchObject({
      field: 'findings',
    });
    const unknownFinding = {
      to: 'decision',
      findings: [{ allegation: 'A.', finding: 'probably', reason: 'R.' }],
    } as unknown as TransitionCommand;
    expect(applyTransition('investigation', unknownFinding, INVESTIGATOR)).toMatchObject({
      field: 'findings[0].finding',
    });
    const falseReport: TransitionCommand = {
      to: 'decision',
      findings: [{ allegation: 'A.', finding: 'knowingly_false', reason: 'Fabricated emails.' }],
    };
    expect(applyTransition('investigation', falseReport, INVESTIGATOR)).toMatchObject({
      ok: true,
      to: 'decision',
    });
  });

  it('needs a recommendation with an owner for a substantiated outcome, but not for one not substantiated', () => {
    const noRecommendations = { ...closeSubstantiated, recommendations: [] };
    expect(applyTransition('decision', noRecommendations, MO)).toMatchObject({ field: 'recommendations' });
    const ownerless = { ...closeSubstantiated, recommendations: [{ action: 'Recover it.', owner: '' }] };
    expect(applyTransition('decision', ownerless, MO)).toEqual({
      ok: false,
      code: 'invalid_data',
      field: 'recommendations[0].owner',
      reason: 'Recommendation 1 needs an owner (recommendations[0].owner).',
    });
    expect(
      applyTransition('decision', { to: 'closed', outcome: 'not_substantiated', reason: 'No evidence.' }, MO),
    ).toMatchObject({ ok: true, outcome: 'not_substantiated' });
  });

  it('lets only an oversight role decide the outcome of an investigation', () => {
    expect(applyTransition('decision', closeSubstantiated, INVESTIGATOR)).toMatchObject({
      ok: false,
      code: 'not_permitted',
    });
    for (const role of ['deputy_monitoring_officer', 'head_of_paid_service', 's151_officer'] as const) {
      expect(applyTransition('decision', closeSubstantiated, [role])).toMatchObject({ ok: true });
    }
  });

  it('never lets an administrator or the audit committee chair move a case', () => {
    for (const roles of [['administrator'], ['audit_committee_chair']] as StaffRole[][]) {
      expect(applyTransition('received', acknowledge, roles)).toEqual({
        ok: false,
        code: 'not_permitted',
        reason: 'Only a case handler can acknowledge a case.',
      });
    }
  });

  it('lets the monitoring officer, and only the monitoring officer, reopen a closed case', () => {
    const reopen: TransitionCommand = { to: 'reopened', reason: 'New evidence has come to light.' };
    expect(applyTransition('closed', reopen, MO)).toEqual({
      ok: true,
      from: 'closed',
      to: 'reopened',
      outcome: null,
    });
    expect(applyTransition('closed', reopen, ['deputy_monitoring_officer', 'investigator'])).toEqual({
      ok: false,
      code: 'not_permitted',
      reason: 'Only the monitoring officer can reopen a closed case.',
    });
    expect(applyTransition('closed', { to: 'reopened', reason: '' }, MO)).toMatchObject({ field: 'reason' });
    expect(applyTransition('decision', reopen, MO)).toMatchObject({
      reason: 'Only a closed case can be reopened; this case is awaiting a decision.',
    });
    expect(applyTransition('reopened', { to: 'assessment' }, INVESTIGATOR)).toMatchObject({
      ok: true,
      to: 'assessment',
    });
  });

  it('lets a case be withdrawn at any open stage, with a reason, but not once closed', () => {
    const withdraw: TransitionCommand = {
      to: 'closed',
      outcome: 'withdrawn',
      reason: 'The reporter asked us to stop.',
    };
    for (const state of CASE_STATUSES.filter((s) => s !== 'closed')) {
      expect(applyTransition(state, withdraw, INVESTIGATOR)).toEqual({
        ok: true,
        from: state,
        to: 'closed',
        outcome: 'withdrawn',
      });
    }
    expect(applyTransition('closed', withdraw, MO)).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(applyTransition('received', { ...withdraw, reason: '' }, INVESTIGATOR)).toMatchObject({
      reason: 'Give the reason for the withdrawal (reason).',
    });
  });

  it('refuses a command naming an unknown stage, and throws for a state that is not a status', () => {
    expect(applyTransition('received', { to: 'archived' } as unknown as TransitionCommand, MO)).toMatchObject(
      {
        ok: false,
        code: 'invalid_data',
        field: 'to',
      },
    );
    expect(applyTransition('received', null as unknown as TransitionCommand, MO)).toMatchObject({
      field: 'to',
    });
    expect(() => applyTransition('lost' as CaseStatus, acknowledge, MO)).toThrow(RangeError);
  });

  it('lists the moves allowed from each stage', () => {
    const withdrawn = { to: 'closed', outcomes: ['withdrawn'] };
    expect(allowedTransitions('received')).toEqual([{ to: 'acknowledged', outcomes: [] }, withdrawn]);
    expect(allowedTransitions('acknowledged')).toEqual([{ to: 'assessment', outcomes: [] }, withdrawn]);
    expect(allowedTransitions('assessment')).toEqual([
      { to: 'investigation', outcomes: [] },
      {
        to: 'closed',
        outcomes: [
          'no_further_action',
          'referred_externally',
          'referred_to_another_procedure',
          'withdrawn',
          'duplicate',
        ],
      },
    ]);
    expect(allowedTransitions('investigation')).toEqual([{ to: 'decision', outcomes: [] }, withdrawn]);
    expect(allowedTransitions('decision')).toEqual([
      {
        to: 'closed',
        outcomes: CASE_OUTCOMES.filter((o) => o !== 'referred_to_another_procedure' && o !== 'duplicate'),
      },
    ]);
    expect(allowedTransitions('closed')).toEqual([{ to: 'reopened', outcomes: [] }]);
    expect(allowedTransitions('reopened')).toEqual([{ to: 'assessment', outcomes: [] }, withdrawn]);
  });

  it('lists only the moves the actor’s roles allow', () => {
    expect(allowedTransitions('decision', INVESTIGATOR)).toEqual([{ to: 'closed', outcomes: ['withdrawn'] }]);
    expect(allowedTransitions('closed', INVESTIGATOR)).toEqual([]);
    expect(allowedTransitions('received', ['administrator'])).toEqual([]);
  });

  it('suggests the outcome the findings point to', () => {
    const f = (
      ...values: ('substantiated' | 'partially_substantiated' | 'not_substantiated' | 'knowingly_false')[]
    ) => values.map((finding) => ({ finding }));
    expect(outcomeSuggestedByFindings(f('substantiated', 'substantiated'))).toBe('substantiated');
    expect(outcomeSuggestedByFindings(f('substantiated', 'not_substantiated'))).toBe(
      'partially_substantiated',
    );
    expect(outcomeSuggestedByFindings(f('partially_substantiated'))).toBe('partially_substantiated');
    expect(outcomeSuggestedByFindings(f('not_substantiated', 'knowingly_false'))).toBe('not_substantiated');
  });

  it('needs the first response to say who is involved, naming the field', () => {
    const { whoIsInvolved: _left, ...rest } = acknowledge.firstResponse;
    expect(
      applyTransition(
        'received',
        { to: 'acknowledged', firstResponse: rest } as TransitionCommand,
        INVESTIGATOR,
      ),
    ).toEqual({
      ok: false,
      code: 'invalid_data',
      field: 'firstResponse.whoIsInvolved',
      reason:
        'The first response must say who is involved in dealing with the concern (firstResponse.whoIsInvolved).',
    });
  });

  it('refers a case to another procedure at assessment only when it says which one', () => {
    const base = {
      to: 'closed',
      outcome: 'referred_to_another_procedure',
      reason: 'A personal grievance.',
    } as const;
    expect(applyTransition('assessment', base, INVESTIGATOR)).toEqual({
      ok: false,
      code: 'invalid_data',
      field: 'procedureReferral.procedure',
      reason:
        'Say which procedure the case was referred to (procedureReferral.procedure): one of grievance, ' +
        'disciplinary, dignity at work, corporate complaints, safeguarding, councillor code of conduct or other.',
    });
    expect(
      applyTransition('assessment', { ...base, procedureReferral: { procedure: 'other' } }, INVESTIGATOR),
    ).toMatchObject({ field: 'procedureReferral.details' });
    expect(
      applyTransition('assessment', { ...base, procedureReferral: { procedure: 'grievance' } }, INVESTIGATOR),
    ).toEqual({ ok: true, from: 'assessment', to: 'closed', outcome: 'referred_to_another_procedure' });
  });

  it('refuses to refer an investigated case to another procedure, saying to record it as a recommendation', () => {
    const result = applyTransition(
      'decision',
      {
        to: 'closed',
        outcome: 'referred_to_another_procedure',
        reason: 'HR should take it on.',
        procedureReferral: { procedure: 'disciplinary' },
      },
      MO,
    );
    expect(result).toMatchObject({ ok: false, code: 'illegal_transition' });
    expect(!result.ok && result.reason).toMatch(/as a recommendation with its owner\.$/);
  });

  it('names the police, the external auditor or a regulator when referring externally', () => {
    for (const body of ['police', 'external_auditor'] as const) {
      expect(
        applyTransition(
          'assessment',
          { to: 'closed', outcome: 'referred_externally', reason: 'Criminal.', referral: { body } },
          INVESTIGATOR,
        ),
      ).toMatchObject({ ok: true });
    }
    expect(
      applyTransition(
        'assessment',
        { to: 'closed', outcome: 'referred_externally', reason: 'R.', referral: { body: 'regulator' } },
        INVESTIGATOR,
      ),
    ).toMatchObject({ field: 'referral.details' });
  });

  it('needs a finding for every allegation of the plan, once each, and none for anything else', () => {
    const context = { planAllegations: ['Claims for journeys not made.', 'Receipts were altered.'] };
    const finding = (allegation: string) => ({
      allegation,
      finding: 'substantiated' as const,
      reason: 'Logs.',
    });
    expect(applyTransition('investigation', findings, INVESTIGATOR, context)).toEqual({
      ok: false,
      code: 'invalid_data',
      field: 'findings',
      reason:
        'Record a finding for every allegation in the investigation plan: allegation 2 has none (findings).',
    });
    expect(
      applyTransition(
        'investigation',
        { to: 'decision', findings: [finding('Claims for journeys not made.'), finding('Something else.')] },
        INVESTIGATOR,
        context,
      ),
    ).toMatchObject({ field: 'findings[1].allegation' });
    expect(
      applyTransition(
        'investigation',
        {
          to: 'decision',
          findings: [finding('Claims for journeys not made.'), finding(' claims for journeys NOT made. ')],
        },
        INVESTIGATOR,
        context,
      ),
    ).toMatchObject({
      field: 'findings[1].allegation',
      reason:
        'Finding 2 repeats allegation 1 of the plan; give one finding per allegation (findings[1].allegation).',
    });
    expect(
      applyTransition(
        'investigation',
        {
          to: 'decision',
          findings: [finding('Receipts were altered. '), finding('Claims for journeys not made.')],
        },
        INVESTIGATOR,
        context,
      ),
    ).toMatchObject({ ok: true, to: 'decision' });
  });

  it('lets a finding cite the evidence and interview records it rests on, if they are on the case', () => {
    const interview = '1b4e28ba-2fa1-4d2b-883f-0016d3cca427';
    const document = '6f1c2f0e-6b0a-4a3e-9d7a-1f2b3c4d5e6f';
    const cite = (evidence: unknown) =>
      ({
        to: 'decision',
        findings: [
          { allegation: 'Claims for journeys not made.', finding: 'substantiated', reason: 'R.', evidence },
        ],
      }) as unknown as TransitionCommand;
    const context = { evidenceIds: [interview, document] };
    expect(
      applyTransition('investigation', cite([interview, document.toUpperCase()]), INVESTIGATOR, context),
    ).toMatchObject({
      ok: true,
    });
    expect(
      applyTransition(
        'investigation',
        cite([interview, '0a0a0a0a-0a0a-4a0a-8a0a-0a0a0a0a0a0a']),
        INVESTIGATOR,
        context,
      ),
    ).toEqual({
      ok: false,
      code: 'invalid_data',
      field: 'findings[0].evidence[1]',
      reason: 'Finding 1 cites evidence that is not recorded on this case (findings[0].evidence[1]).',
    });
    expect(applyTransition('investigation', cite('all of it'), INVESTIGATOR)).toMatchObject({
      field: 'findings[0].evidence',
    });
    expect(applyTransition('investigation', cite(['interview 1']), INVESTIGATOR)).toMatchObject({
      field: 'findings[0].evidence[0]',
    });
    expect(applyTransition('investigation', cite([interview, interview]), INVESTIGATOR)).toMatchObject({
      field: 'findings[0].evidence[1]',
    });
    expect(recordedTransitionData(cite([interview.toUpperCase()]))).toEqual({
      to: 'decision',
      findings: [
        {
          allegation: 'Claims for journeys not made.',
          finding: 'substantiated',
          reason: 'R.',
          evidence: [interview],
        },
      ],
    });
  });

  it('refuses a plan that lists the same allegation twice', () => {
    const twice = { ...investigate, plan: { scope: 'x', allegations: ['Fraud.', ' fraud.'] } };
    expect(applyTransition('assessment', twice as TransitionCommand, INVESTIGATOR)).toMatchObject({
      field: 'plan.allegations[1]',
    });
  });

  it('lets only the case’s overseer decide an investigated case, though anyone handling it may withdraw it', () => {
    expect(
      applyTransition('decision', closeSubstantiated, ['s151_officer'], { actorIsOverseer: false }),
    ).toEqual({
      ok: false,
      code: 'not_permitted',
      reason:
        'Only the overseer of this case (the monitoring officer, or whoever oversees it in their place ' +
        'under the conflict routes) can decide the outcome of its investigation.',
    });
    expect(
      applyTransition('decision', closeSubstantiated, ['head_of_paid_service'], { actorIsOverseer: true }),
    ).toMatchObject({ ok: true });
    expect(
      applyTransition(
        'decision',
        { to: 'closed', outcome: 'withdrawn', reason: 'The reporter withdrew.' },
        INVESTIGATOR,
        { actorIsOverseer: false },
      ),
    ).toMatchObject({ ok: true });
  });

  it('needs the decision maker to confirm a knowingly false finding (EU-20)', () => {
    const close = {
      to: 'closed',
      outcome: 'not_substantiated',
      reason: 'The emails were fabricated.',
    } as const;
    const context = { findings: ['knowingly_false' as const], actorIsOverseer: true };
    expect(applyTransition('decision', close, MO, context)).toMatchObject({
      ok: false,
      code: 'invalid_data',
      field: 'knowinglyFalseConfirmed',
    });
    expect(
      applyTransition('decision', { ...close, knowinglyFalseConfirmed: true }, MO, context),
    ).toMatchObject({ ok: true, outcome: 'not_substantiated' });
    expect(applyTransition('decision', close, MO, { findings: ['not_substantiated'] })).toMatchObject({
      ok: true,
    });
  });

  it('refuses to close a case that owes the reporter feedback, unless a reason for none is recorded', () => {
    const context = { actorIsOverseer: true, findings: ['substantiated' as const], feedbackGiven: false };
    expect(applyTransition('decision', closeSubstantiated, MO, context)).toEqual({
      ok: false,
      code: 'illegal_transition',
      reason: FEEDBACK_OWED_REASON,
    });
    expect(
      applyTransition('decision', closeSubstantiated, MO, { ...context, feedbackGiven: true }),
    ).toMatchObject({ ok: true, outcome: 'substantiated' });
    const withReason = { ...closeSubstantiated, noFeedbackReason: 'Proceedings are under way.' };
    expect(applyTransition('decision', withReason, MO, context)).toMatchObject({ ok: true });
    expect(recordedTransitionData({ ...withReason, noFeedbackReason: '  Proceedings.  ' })).toMatchObject({
      noFeedbackReason: 'Proceedings.',
    });
    // A blank reason is no reason; one that is not text is named.
    expect(
      applyTransition('decision', { ...closeSubstantiated, noFeedbackReason: '  ' }, MO, context),
    ).toMatchObject({
      ok: false,
      code: 'invalid_data',
      field: 'noFeedbackReason',
    });
    // At assessment too: no further action still owes the reporter an answer.
    const nfa = { to: 'closed', outcome: 'no_further_action', reason: 'Already dealt with.' } as const;
    expect(applyTransition('assessment', nfa, INVESTIGATOR, { feedbackGiven: false })).toMatchObject({
      ok: false,
      code: 'illegal_transition',
    });
  });

  it('owes feedback at closure for every outcome but a withdrawal or a referral the reporter is told of', () => {
    expect(CASE_OUTCOMES.filter((o) => !feedbackOwedAtClosure(o))).toEqual([
      'referred_to_another_procedure',
      'withdrawn',
    ]);
    const withdraw = {
      to: 'closed',
      outcome: 'withdrawn',
      reason: 'The reporter asked us to stop.',
    } as const;
    expect(applyTransition('investigation', withdraw, INVESTIGATOR, { feedbackGiven: false })).toMatchObject({
      ok: true,
    });
  });

  it('refuses text longer than a transition field may hold, naming the field', () => {
    const long = 'x'.repeat(20001);
    expect(applyTransition('closed', { to: 'reopened', reason: long }, MO)).toEqual({
      ok: false,
      code: 'invalid_data',
      field: 'reason',
      reason: 'Keep reason to 20000 characters; add longer documents as evidence (reason).',
    });
  });

  it('records only the fields a stage defines, trimmed', () => {
    const sloppy = {
      ...closeSubstantiated,
      reason: '  The claims were false.  ',
      referral: { body: 'police' },
      extra: '<script>',
    } as unknown as TransitionCommand;
    expect(applyTransition('decision', sloppy, MO)).toMatchObject({ ok: true });
    expect(recordedTransitionData(sloppy)).toEqual({
      to: 'closed',
      outcome: 'substantiated',
      reason: 'The claims were false.',
      recommendations: [
        { action: 'Recover the overpayment.', owner: 'Head of finance', dueDate: '2026-06-30' },
      ],
    });
  });
});

// ---- Model-based test -------------------------------------------------------------------------------

/**
 * The model: the stage and outcome, and an independent statement of the rules (docs/architecture.md
 * "Investigation lifecycle").
 */
interface Model {
  status: CaseStatus;
  outcome: CaseOutcome | null;
}
interface Real {
  status: CaseStatus;
}

const HANDLERS: StaffRole[] = [
  'monitoring_officer',
  'deputy_monitoring_officer',
  'investigator',
  's151_officer',
  'safeguarding_lead',
  'head_of_paid_service',
];
const DECIDERS: StaffRole[] = [
  'monitoring_officer',
  'deputy_monitoring_officer',
  'head_of_paid_service',
  's151_officer',
];
const OPEN: CaseStatus[] = [
  'received',
  'acknowledged',
  'assessment',
  'investigation',
  'decision',
  'reopened',
];

const RULES: { from: CaseStatus[]; to: CaseStatus; outcomes?: CaseOutcome[]; roles: StaffRole[] }[] = [
  { from: ['received'], to: 'acknowledged', roles: HANDLERS },
  { from: ['acknowledged', 'reopened'], to: 'assessment', roles: HANDLERS },
  { from: ['assessment'], to: 'investigation', roles: HANDLERS },
  { from: ['investigation'], to: 'decision', roles: HANDLERS },
  {
    from: ['assessment'],
    to: 'closed',
    outcomes: ['no_further_action', 'referred_externally', 'referred_to_another_procedure', 'duplicate'],
    roles: HANDLERS,
  },
  {
    from: ['decision'],
    to: 'closed',
    outcomes: [
      'substantiated',
      'partially_substantiated',
      'not_substantiated',
      'no_further_action',
      'referred_externally',
    ],
    roles: DECIDERS,
  },
  { from: OPEN, to: 'closed', outcomes: ['withdrawn'], roles: HANDLERS },
  { from: ['closed'], to: 'reopened', roles: ['monitoring_officer'] },
];

type Expected = 'ok' | 'illegal_transition' | 'not_permitted' | 'invalid_data';

function expectedFor(
  status: CaseStatus,
  to: CaseStatus,
  outcome: CaseOutcome | null,
  roles: StaffRole[],
  broken: boolean,
): Expected {
  const rule = RULES.find(
    (r) =>
      r.from.includes(status) && r.to === to && (!r.outcomes || r.outcomes.includes(outcome as CaseOutcome)),
  );
  if (!rule) return 'illegal_transition';
  if (!roles.some((role) => rule.roles.includes(role))) return 'not_permitted';
  return broken ? 'invalid_data' : 'ok';
}

let closedReached = 0;
let reopenedReached = 0;

class Attempt implements fc.Command<Model, Real> {
  constructor(
    readonly command: TransitionCommand,
    readonly roles: StaffRole[],
    /** Whether a required field was blanked; such a command can only be refused. */
    readonly broken: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const outcome = this.command.to === 'closed' ? this.command.outcome : null;
    const expected = expectedFor(model.status, this.command.to, outcome, this.roles, this.broken);
    const result = applyTransition(real.status, this.command, this.roles);
    expect(result.ok ? 'ok' : result.code).toBe(expected);

    const listed = allowedTransitions(real.status, this.roles).some(
      (t) => t.to === this.command.to && (outcome === null || t.outcomes.includes(outcome)),
    );
    expect(listed).toBe(expected === 'ok' || expected === 'invalid_data');

    if (result.ok) {
      expect(result).toEqual({ ok: true, from: model.status, to: this.command.to, outcome });
      model.status = this.command.to;
      model.outcome = outcome;
      real.status = result.to;
      if (model.status === 'closed') closedReached += 1;
      if (model.status === 'reopened') reopenedReached += 1;
    }
    expect(real.status).toBe(model.status);
  }
  toString(): string {
    return `${this.command.to}${this.command.to === 'closed' ? `(${this.command.outcome})` : ''} by [${this.roles.join(',')}]${this.broken ? ' with a blank field' : ''}`;
  }
}

const text = fc.constantFrom('Because.', 'See the evidence log.', 'Agreed with the monitoring officer.');
const rolesArb = fc.subarray([...STAFF_ROLES]);
const brokenArb = fc.boolean();
const blankIf = (broken: boolean, value: string): string => (broken ? ' ' : value);

const acknowledgeArb = fc.tuple(rolesArb, brokenArb, text).map(
  ([roles, broken, t]) =>
    new Attempt(
      {
        to: 'acknowledged',
        firstResponse: {
          proposedHandling: t,
          whoIsInvolved: t,
          estimatedTimescale: t,
          supportAvailable: blankIf(broken, t),
        },
      },
      roles,
      broken,
    ),
);
const startAssessmentArb = rolesArb.map((roles) => new Attempt({ to: 'assessment' }, roles, false));
const investigateArb = fc
  .tuple(rolesArb, brokenArb, text)
  .map(
    ([roles, broken, t]) =>
      new Attempt(
        { to: 'investigation', reason: t, plan: { scope: t, allegations: broken ? [] : [t] } },
        roles,
        broken,
      ),
  );
const findingsArb = fc
  .tuple(
    rolesArb,
    brokenArb,
    text,
    fc.constantFrom(
      'substantiated',
      'partially_substantiated',
      'not_substantiated',
      'knowingly_false',
    ) as fc.Arbitrary<'substantiated'>,
  )
  .map(
    ([roles, broken, t, finding]) =>
      new Attempt(
        { to: 'decision', findings: [{ allegation: t, finding, reason: blankIf(broken, t) }] },
        roles,
        broken,
      ),
  );
const closeArb = fc.tuple(rolesArb, brokenArb, text, fc.constantFrom(...CASE_OUTCOMES)).map(
  ([roles, broken, t, outcome]) =>
    new Attempt(
      {
        to: 'closed',
        outcome,
        reason: blankIf(broken, t),
        referral: { body: 'external_auditor' },
        procedureReferral: { procedure: 'grievance' },
        duplicateOf: 'NOL-2026-000001',
        recommendations: [{ action: t, owner: 'Head of audit' }],
      },
      roles,
      broken,
    ),
);
const withdrawArb = fc
  .tuple(fc.constant(['investigator'] as StaffRole[]), brokenArb, text)
  .map(
    ([roles, broken, t]) =>
      new Attempt({ to: 'closed', outcome: 'withdrawn', reason: blankIf(broken, t) }, roles, broken),
  );
const reopenArb = fc
  .tuple(rolesArb, brokenArb, text)
  .map(([roles, broken, t]) => new Attempt({ to: 'reopened', reason: blankIf(broken, t) }, roles, broken));

const contextArb = fc.record(
  {
    planAllegations: fc.array(fc.oneof(text, fc.constant('Claims for journeys not made.')), { maxLength: 3 }),
    evidenceIds: fc.array(fc.uuid(), { maxLength: 2 }),
    findings: fc.array(
      fc.constantFrom('substantiated', 'partially_substantiated', 'not_substantiated', 'knowingly_false'),
      { maxLength: 3 },
    ),
    actorIsOverseer: fc.boolean(),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<TransitionContext>;

const allCommands = [
  acknowledgeArb,
  startAssessmentArb,
  investigateArb,
  findingsArb,
  closeArb,
  withdrawArb,
  reopenArb,
];
const anyAttempt = fc.oneof(...allCommands);

describe('case lifecycle, model-based', () => {
  it('should agree with the model on every random sequence of commands', () => {
    fc.assert(
      fc.property(fc.commands(allCommands, { maxCommands: 60 }), (commands) => {
        fc.modelRun(
          (): { model: Model; real: Real } => ({
            model: { status: 'received', outcome: null },
            real: { status: 'received' },
          }),
          commands,
        );
      }),
      { numRuns: 400 },
    );
    // The sequences must actually get somewhere for the comparison to mean anything.
    expect(closedReached).toBeGreaterThan(50);
    expect(reopenedReached).toBeGreaterThan(5);
  });

  it('never leaves closed except by reopen', () => {
    fc.assert(
      fc.property(anyAttempt, (attempt) => {
        const result = applyTransition('closed', attempt.command, attempt.roles);
        if (result.ok) {
          expect(result.to).toBe('reopened');
          expect(attempt.roles).toContain('monitoring_officer');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('every refusal carries a non-empty reason', () => {
    const junk = fc.oneof(
      anyAttempt.map((a) => a.command as unknown),
      fc.anything(),
      fc.record(
        {
          to: fc.constantFrom(...CASE_STATUSES, 'nowhere'),
          outcome: fc.oneof(fc.constantFrom(...CASE_OUTCOMES), fc.anything()),
          reason: fc.anything(),
          firstResponse: fc.anything(),
          plan: fc.anything(),
          findings: fc.anything(),
          referral: fc.anything(),
          procedureReferral: fc.anything(),
          recommendations: fc.anything(),
          knowinglyFalseConfirmed: fc.anything(),
        },
        { requiredKeys: ['to'] },
      ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...CASE_STATUSES),
        junk,
        rolesArb,
        contextArb,
        (state, command, roles, context) => {
          const result = applyTransition(state, command as TransitionCommand, roles, context);
          if (!result.ok) {
            expect(result.reason.trim().length).toBeGreaterThan(0);
            expect(result.reason).toMatch(/^[A-Z].*\.$/s);
            expect(['illegal_transition', 'not_permitted', 'invalid_data']).toContain(result.code);
            if (result.code === 'invalid_data') expect(result.reason).toContain(`(${result.field})`);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
