/**
 * The OpenAPI description of POST /cases/:reference/transitions: one body shape per stage moved to
 * (`to`), each with the data that stage needs (issue #7). The body is validated by the domain's state
 * machine (libs/domain lifecycle.ts), not by class-validator, because what is required depends on the
 * case (its stage, its plan, its findings): this schema documents it, built from the same constants.
 */
import {
  ALLEGATION_FINDINGS,
  CASE_OUTCOMES,
  EXTERNAL_BODIES,
  MAX_TRANSITION_TEXT,
  OTHER_PROCEDURES,
} from '@nolan/domain';

const text = (description: string) => ({ type: 'string', maxLength: MAX_TRANSITION_TEXT, description });
const date = (description: string) => ({ type: 'string', format: 'date', description });
const stage = (to: string, description: string, properties: object = {}, required: string[] = []) => ({
  type: 'object',
  title: to,
  description,
  required: ['to', ...required],
  properties: { to: { type: 'string', enum: [to] }, ...properties },
});

export const TRANSITION_BODY_SCHEMA = {
  oneOf: [
    stage(
      'acknowledged',
      'From received, with the first response to the reporter (GP-06), which is also sent to them.',
      {
        firstResponse: {
          type: 'object',
          required: ['proposedHandling', 'whoIsInvolved', 'estimatedTimescale', 'supportAvailable'],
          properties: {
            proposedHandling: text('How the concern will be dealt with'),
            whoIsInvolved: text('Who is involved in dealing with it'),
            estimatedTimescale: text('An estimate of how long it will take'),
            supportAvailable: text('What support is available to the reporter'),
          },
        },
      },
      ['firstResponse'],
    ),
    stage('assessment', 'From acknowledged or reopened.'),
    stage(
      'investigation',
      'From assessment: the decision to investigate, with the plan.',
      {
        reason: text('Why the assessment decided to investigate'),
        plan: {
          type: 'object',
          required: ['scope', 'allegations'],
          properties: {
            scope: text('What the investigation covers'),
            allegations: { type: 'array', minItems: 1, items: text('One allegation, listed once') },
            targetDate: date('Target completion date'),
          },
        },
      },
      ['reason', 'plan'],
    ),
    stage(
      'decision',
      'From investigation: one finding per allegation of the plan (matched by its words), for the overseer.',
      {
        findings: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['allegation', 'finding', 'reason'],
            properties: {
              allegation: text('The allegation, as worded in the plan'),
              finding: { type: 'string', enum: [...ALLEGATION_FINDINGS] },
              reason: text('The reasons for the finding'),
              evidence: {
                type: 'array',
                items: { type: 'string', format: 'uuid' },
                description: 'Ids of the evidence and interview records on the case it rests on',
              },
            },
          },
        },
      },
      ['findings'],
    ),
    stage(
      'closed',
      'From assessment (no_further_action, referred_to_another_procedure, referred_externally, ' +
        'duplicate), from decision by the case’s overseer (any outcome but ' +
        'referred_to_another_procedure, duplicate and withdrawn; ' +
        'a recommendation with an owner for a substantiated or partially substantiated outcome), or ' +
        'withdrawn from any open stage.',
      {
        outcome: { type: 'string', enum: [...CASE_OUTCOMES] },
        reason: text('The reasons (for no further action, the reasons it needs none)'),
        referral: {
          type: 'object',
          required: ['body'],
          description: 'Required for referred_externally',
          properties: {
            body: { type: 'string', enum: [...EXTERNAL_BODIES] },
            details: text('Which body, and any reference; required for regulator and other'),
          },
        },
        procedureReferral: {
          type: 'object',
          required: ['procedure'],
          description: 'Required for referred_to_another_procedure; the reporter is told in writing',
          properties: {
            procedure: { type: 'string', enum: [...OTHER_PROCEDURES] },
            details: text('Which procedure; required for other'),
          },
        },
        duplicateOf: text(
          'Required for duplicate: the reference of the case this one duplicates, which you must hold; ' +
            'the two are linked and the reporter is told in writing, without the other reference',
        ),
        recommendations: {
          type: 'array',
          items: {
            type: 'object',
            required: ['action', 'owner'],
            properties: {
              action: text('What should be done'),
              owner: text('Who is responsible for it (a post or team)'),
              dueDate: date('When it is due'),
            },
          },
        },
        knowinglyFalseConfirmed: {
          type: 'boolean',
          description: 'Required (true) when a finding is knowingly false (EU-20)',
        },
        noFeedbackReason: {
          type: 'string',
          maxLength: 20000,
          description:
            'Why the reporter cannot be given feedback: required (409 otherwise) when none was given since the case was received or reopened, unless the outcome is withdrawn or a referral to another procedure',
        },
      },
      ['outcome', 'reason'],
    ),
    stage('reopened', 'From closed, by the monitoring officer.', { reason: text('Why') }, ['reason']),
  ],
};
