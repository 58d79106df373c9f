import {
  ANONYMITY_STATEMENT,
  CATEGORIES,
  IDENTITY_FIELDS,
  INTAKE_QUESTIONS,
  validateSubmission,
} from '@nolan/domain';
import type { IntakeForm } from '../api/reporter-api';
import {
  applyStep,
  displayAnswer,
  type Draft,
  emptyDraft,
  findStep,
  firstIncomplete,
  isAnswered,
  nextStep,
  offersPreferNotToSay,
  PREFER_NOT_TO_SAY,
  progressOf,
  previousStep,
  stepsFor,
  toSubmission,
} from './journey';

/** The form exactly as the API builds it from the domain (GET /tenants/:slug/form). */
const form: IntakeForm = {
  tenant: { slug: 'demo', name: 'Demo council' },
  anonymity: ANONYMITY_STATEMENT,
  categories: CATEGORIES.map((c) => ({ id: c.id, title: c.title, description: c.description })),
  questions: INTAKE_QUESTIONS,
  involves: {
    label: 'Does your concern involve any of these people?',
    hint: 'Select all that apply.',
    options: [
      { value: 'monitoring_officer', label: 'Monitoring officer', holders: ['Sam'] },
      { value: 's151_officer', label: 'Section 151 officer', holders: [] },
    ],
  },
  identity: { statement: ANONYMITY_STATEMENT, fields: IDENTITY_FIELDS },
  attachments: { maxFileBytes: 1, maxFiles: 1, maxTotalBytes: 1, acceptedTypes: [] },
};

/** Answers the page the way a reporter would, failing the test if the page refuses them. */
function answer(draft: Draft, key: string, input: Record<string, unknown>): Draft {
  const step = findStep(form, draft, key);
  if (!step) throw new Error(`no page ${key}`);
  const { draft: next, errors } = applyStep(form, draft, step, input);
  expect(errors).toEqual([]);
  return next;
}

describe('the reporter journey', () => {
  it('asks the category first, then one thing per page, the people, identity, and ends at the check page', () => {
    const draft = { ...emptyDraft('demo'), category: 'fraud_theft' };
    expect(stepsFor(form, draft).map((s) => s.key)).toEqual([
      'concern',
      'whatHappened',
      'when',
      'whoIsInvolved',
      'howYouKnow',
      'raisedBefore',
      'evidence',
      'relationship',
      'amountInvolved',
      'involves',
      'identity',
      'files',
      'check',
    ]);
    expect(findStep(form, draft, 'when')?.questions.map((q) => q.id)).toEqual(['when', 'where']);
  });

  it('asks what happened when it was raised only if it was raised, and for details only if the reporter gives them', () => {
    let draft: Draft = { ...emptyDraft('demo'), category: 'other' };
    expect(stepsFor(form, draft).map((s) => s.key)).not.toContain('raisedBeforeDetails');
    draft = answer(draft, 'raisedBefore', { raisedBefore: 'manager' });
    expect(stepsFor(form, draft).map((s) => s.key)).toContain('raisedBeforeDetails');
    draft = answer(draft, 'identity', { identityChoice: 'yes' });
    expect(stepsFor(form, draft).map((s) => s.key)).toContain('your-details');
  });

  it('asks the safeguarding question only for safeguarding concerns', () => {
    const keys = (category: string) => stepsFor(form, { ...emptyDraft('demo'), category }).map((s) => s.key);
    expect(keys('safeguarding_children')).toContain('immediateDanger');
    expect(keys('fraud_theft')).not.toContain('immediateDanger');
  });

  it('names each missing or wrong answer against its field, and keeps what was typed', () => {
    const draft = { ...emptyDraft('demo'), category: 'fraud_theft' };
    const step = findStep(form, draft, 'whatHappened')!;
    expect(applyStep(form, draft, step, { whatHappened: '   ' }).errors).toEqual([
      { field: 'whatHappened', message: 'Tell us what happened' },
    ]);
    const long = applyStep(form, draft, step, { whatHappened: 'x'.repeat(20001) });
    expect(long.errors).toEqual([
      {
        field: 'whatHappened',
        message: 'Your answer to "What happened?" must be 20,000 characters or fewer',
      },
    ]);
    expect(long.draft.answers.whatHappened).toHaveLength(20001);
    const howYouKnow = findStep(form, draft, 'howYouKnow')!;
    expect(applyStep(form, draft, howYouKnow, { howYouKnow: 'telepathy' }).errors).toEqual([
      { field: 'howYouKnow', message: 'Select one of the answers to "How do you know about it?"' },
    ]);
    const concern = findStep(form, emptyDraft('demo'), 'concern')!;
    expect(applyStep(form, emptyDraft('demo'), concern, { category: 'nonsense' }).errors).toEqual([
      { field: 'category', message: 'Select what your concern is about' },
    ]);
  });

  it('wants either people or "none of these" on the involves page, not both and not neither', () => {
    const draft = { ...emptyDraft('demo'), category: 'other' };
    const step = findStep(form, draft, 'involves')!;
    expect(applyStep(form, draft, step, {}).errors).toHaveLength(1);
    expect(applyStep(form, draft, step, { involves: ['none', 's151_officer'] }).errors).toHaveLength(1);
    expect(applyStep(form, draft, step, { involves: 'none' }).draft.involves).toEqual([]);
    expect(
      applyStep(form, draft, step, { involves: ['s151_officer', 'administrator'] }).draft.involves,
    ).toEqual(['s151_officer']);
  });

  it('drops identity details when the reporter chooses to stay anonymous after all', () => {
    let draft: Draft = { ...emptyDraft('demo'), category: 'other' };
    draft = answer(draft, 'identity', { identityChoice: 'yes' });
    const details = findStep(form, draft, 'your-details')!;
    expect(applyStep(form, draft, details, { name: '', jobTitle: '' }).errors.map((e) => e.field)).toEqual([
      'name',
    ]);
    draft = answer(draft, 'your-details', { name: 'Pat' });
    expect(draft.identity).toEqual({ name: 'Pat' });
    draft = answer(draft, 'identity', { identityChoice: 'no' });
    expect(draft.identity).toEqual({});
    expect(toSubmission(form, draft).identity).toBeNull();
  });

  it('asks whether the reporter may be named with their details, and needs a detail besides it', () => {
    let draft: Draft = { ...emptyDraft('demo'), category: 'other' };
    draft = answer(draft, 'identity', { identityChoice: 'yes' });
    const details = findStep(form, draft, 'your-details')!;
    expect(details.questions.map((q) => q.id)).toContain('named');
    expect(applyStep(form, draft, details, { named: 'yes' }).errors.map((e) => e.field)).toEqual(['name']);
    draft = answer(draft, 'your-details', { name: 'Pat', named: 'yes' });
    expect(toSubmission(form, draft).identity).toEqual({ name: 'Pat', named: 'yes' });
    const named = IDENTITY_FIELDS.find((q) => q.id === 'named')!;
    expect(displayAnswer(named, 'yes')).toMatch(/^Yes: you may tell the people handling this concern/);
  });

  it('returns to the check page after a change, unless the change opened questions not yet answered', () => {
    let draft: Draft = { ...emptyDraft('demo') };
    draft = answer(draft, 'concern', { category: 'fraud_theft' });
    draft = answer(draft, 'whatHappened', { whatHappened: 'Paid twice' });
    draft = answer(draft, 'howYouKnow', { howYouKnow: 'documents' });
    draft = answer(draft, 'raisedBefore', { raisedBefore: 'no' });
    draft = answer(draft, 'involves', { involves: 'none' });
    draft = answer(draft, 'identity', { identityChoice: 'no' });
    // The evidence page, passed without files (the controller applies it: it holds the files).
    draft = { ...draft, filesDone: true };
    expect(firstIncomplete(form, draft).key).toBe('check');
    const changing = { ...draft, returnToCheck: true };
    expect(nextStep(form, changing, findStep(form, changing, 'when')!).key).toBe('check');
    // A safeguarding concern asks a required question a fraud concern did not.
    const recategorised = answer(changing, 'concern', { category: 'safeguarding_adults' });
    expect(nextStep(form, recategorised, findStep(form, recategorised, 'concern')!).key).toBe(
      'immediateDanger',
    );
    expect(previousStep(form, draft, findStep(form, draft, 'whatHappened')!)?.key).toBe('concern');
  });

  it('sends only what the chosen category asks, in a shape the domain validator accepts', () => {
    let draft: Draft = emptyDraft('demo');
    draft = answer(draft, 'concern', { category: 'fraud_theft' });
    draft = answer(draft, 'whatHappened', { whatHappened: 'Paid twice\r\nand again' });
    draft = answer(draft, 'amountInvolved', { amountInvolved: '£40,000' });
    draft = answer(draft, 'howYouKnow', { howYouKnow: 'documents' });
    draft = answer(draft, 'raisedBefore', { raisedBefore: 'no' });
    draft = answer(draft, 'involves', { involves: ['monitoring_officer'] });
    draft = answer(draft, 'identity', { identityChoice: 'no' });
    // Changing to a category that does not ask about money leaves the amount out.
    draft = answer(draft, 'concern', { category: 'bullying_harassment_coercion' });
    const submission = toSubmission(form, draft);
    expect(submission).toEqual({
      category: 'bullying_harassment_coercion',
      answers: { whatHappened: 'Paid twice\nand again', howYouKnow: 'documents', raisedBefore: 'no' },
      involves: ['monitoring_officer'],
      identity: null,
    });
    expect(validateSubmission(submission).ok).toBe(true);
  });

  it('asks for the evidence after the questions and before the check page, which stays the last page', () => {
    let draft: Draft = { ...emptyDraft('demo'), category: 'other' };
    draft = answer(draft, 'identity', { identityChoice: 'no' });
    expect(
      stepsFor(form, draft)
        .slice(-2)
        .map((s) => s.key),
    ).toEqual(['files', 'check']);
    const files = findStep(form, draft, 'files')!;
    expect(isAnswered(form, draft, files)).toBe(false);
    expect(isAnswered(form, { ...draft, filesDone: true }, files)).toBe(true);
  });

  it('offers "I would prefer not to say" for the connection to the council, shows it, and never sends it', () => {
    let draft: Draft = { ...emptyDraft('demo'), category: 'other' };
    draft = answer(draft, 'whatHappened', { whatHappened: 'Something' });
    draft = answer(draft, 'relationship', { relationship: PREFER_NOT_TO_SAY });
    const relationship = form.questions.find((q) => q.id === 'relationship')!;
    expect(offersPreferNotToSay(relationship)).toBe(true);
    expect(offersPreferNotToSay(form.questions.find((q) => q.id === 'howYouKnow')!)).toBe(false);
    expect(displayAnswer(relationship, draft.answers.relationship)).toBe('Prefer not to say');
    expect(toSubmission(form, draft).answers).toEqual({ whatHappened: 'Something' });
    // Anywhere else it is not an answer.
    const howYouKnow = findStep(form, draft, 'howYouKnow')!;
    expect(applyStep(form, draft, howYouKnow, { howYouKnow: PREFER_NOT_TO_SAY }).errors).toHaveLength(1);
  });

  it('numbers each page among the pages of the report as it stands', () => {
    const draft: Draft = { ...emptyDraft('demo'), category: 'fraud_theft' };
    const steps = stepsFor(form, draft);
    expect(progressOf(form, draft, steps[0])).toEqual({ at: 1, of: steps.length });
    expect(progressOf(form, draft, steps[steps.length - 1])).toEqual({ at: steps.length, of: steps.length });
  });
});
