// A report's mode from its identity answers (docs/dashboard.md "Reports by mode").
import { IDENTITY_FIELDS, reportMode, validateSubmission } from './intake-form';

describe('report mode', () => {
  it('is anonymous without anything that says who the reporter is', () => {
    expect(reportMode(null)).toBe('anonymous');
    expect(reportMode({})).toBe('anonymous');
    // Agreeing to be named names no one.
    expect(reportMode({ named: 'yes' })).toBe('anonymous');
    expect(reportMode({ name: '   ' })).toBe('anonymous');
  });

  it('is confidential when an identity is given, unless the reporter agrees to be named', () => {
    expect(reportMode({ name: 'Pat' })).toBe('confidential');
    expect(reportMode({ contact: 'pat@example.org', named: 'no' })).toBe('confidential');
    expect(reportMode({ jobTitle: 'Planning', named: 'yes' })).toBe('open');
  });

  it('asks whether the reporter may be named as an optional choice with the identity', () => {
    const named = IDENTITY_FIELDS.find((q) => q.id === 'named');
    expect(named).toEqual(expect.objectContaining({ type: 'choice', required: false }));
    expect(named?.options?.map((o) => o.value)).toEqual(['yes', 'no']);
    const base = {
      category: 'fraud_theft',
      answers: { whatHappened: 'x', howYouKnow: 'saw_it', raisedBefore: 'no' },
    };
    const ok = validateSubmission({ ...base, identity: { name: 'Pat', named: 'yes' } });
    expect(ok.ok && ok.value.identity).toEqual({ name: 'Pat', named: 'yes' });
    const bad = validateSubmission({ ...base, identity: { name: 'Pat', named: 'maybe' } });
    expect(bad.ok ? [] : bad.errors).toEqual(['identity.named must be one of: yes, no']);
  });
});
