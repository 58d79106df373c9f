import type { CaseRecommendation } from '@nolan/contract';
import { recommendationRow } from './staff-recommendations.controller';

describe('a recommendation on the case page', () => {
  const base: CaseRecommendation = {
    id: 'r1',
    text: 'Lock the cards at weekends',
    ownerStaff: null,
    owner: 'Fleet services',
    dueOn: '2027-03-31',
    status: 'in_progress',
    reason: null,
    raisedOn: '2027-01-05',
    statusOn: '2027-01-06',
    overdue: false,
    next: ['implemented', 'rejected'],
  };

  it('says the owner, due date and status in plain words', () => {
    expect(recommendationRow(base, 'me')).toEqual({
      id: 'r1',
      text: 'Lock the cards at weekends',
      owner: 'Fleet services',
      due: '31 March 2027',
      status: 'In progress',
      overdue: false,
      reason: null,
      canUpdate: true,
    });
  });

  it('names a named owner, "You" for the reader, and offers no update once it is final', () => {
    const named = { ...base, owner: null, ownerStaff: { id: 'u2', name: 'Asha Patel' } };
    expect(recommendationRow(named, 'me').owner).toBe('Asha Patel');
    expect(recommendationRow(named, 'u2').owner).toBe('You');
    const done = recommendationRow({ ...base, status: 'implemented', next: [] }, 'me');
    expect([done.status, done.canUpdate]).toEqual(['Implemented', false]);
  });
});
