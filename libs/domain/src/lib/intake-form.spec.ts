import fc from 'fast-check';
import { CATEGORY_IDS } from './categories';
import { INTAKE_QUESTIONS, questionsFor, validateSubmission } from './intake-form';

const minimal = {
  category: 'fraud_theft',
  answers: { whatHappened: 'Invoices paid twice', howYouKnow: 'documents', raisedBefore: 'no' },
};

describe('the intake form', () => {
  it('gives every question a unique id and every choice question its options', () => {
    const ids = INTAKE_QUESTIONS.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const q of INTAKE_QUESTIONS) if (q.type === 'choice') expect(q.options?.length).toBeGreaterThan(1);
  });

  it('asks every category what happened, and only safeguarding whether anyone is in danger', () => {
    for (const category of CATEGORY_IDS) {
      const ids = questionsFor(category).map((q) => q.id);
      expect(ids).toContain('whatHappened');
      expect(ids.includes('immediateDanger')).toBe(category.startsWith('safeguarding'));
    }
  });

  it('accepts a minimal submission and trims free text', () => {
    const result = validateSubmission({ ...minimal, answers: { ...minimal.answers, whatHappened: '  x  ' } });
    expect(result).toEqual({
      ok: true,
      value: {
        category: 'fraud_theft',
        answers: { whatHappened: 'x', howYouKnow: 'documents', raisedBefore: 'no' },
        involves: [],
        identity: null,
      },
    });
  });

  it('names every problem at once, each with its field', () => {
    const result = validateSubmission({
      category: 'safeguarding_children',
      answers: { howYouKnow: 'telepathy', where: 5, colour: 'red', when: 'x'.repeat(201) },
      involves: ['monitoring_officer', 'administrator'],
      identity: { name: 'A', shoeSize: '9' },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      'answers.colour is not a question in this form',
      'answers.whatHappened is required',
      'answers.when must be 200 characters or fewer',
      'answers.where must be text',
      'answers.howYouKnow must be one of: saw_it, told, documents, suspect, other',
      'answers.raisedBefore is required',
      'answers.immediateDanger is required',
      'involves may only contain: monitoring_officer, deputy_monitoring_officer, head_of_paid_service, s151_officer, safeguarding_lead, audit_committee_chair',
      'identity.shoeSize is not a question in this form',
    ]);
  });

  it('refuses an unknown category and a body that is not an object', () => {
    expect(validateSubmission({ ...minimal, category: 'jaywalking' })).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^category must be one of: fraud_theft, /)],
    });
    expect(validateSubmission([])).toEqual({ ok: false, errors: ['the submission must be a JSON object'] });
  });

  it('treats an identity with every field blank as no identity', () => {
    const result = validateSubmission({ ...minimal, identity: { name: ' ', contact: '' } });
    expect(result.ok && result.value.identity).toBeNull();
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        validateSubmission(input);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything()), (answers) => {
        const result = validateSubmission({ category: 'other', answers });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
