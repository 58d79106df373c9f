import {
  nextRecommendationStatuses,
  recommendationChangeProblem,
  recommendationOverdue,
  recommendationProblems,
  RECOMMENDATION_STATUSES,
} from './recommendations';

describe('recommendations', () => {
  it('moves from open through in progress to implemented, and never out of a final status', () => {
    expect(recommendationChangeProblem('open', 'in_progress', undefined)).toBeNull();
    expect(recommendationChangeProblem('in_progress', 'implemented', undefined)).toBeNull();
    expect(recommendationChangeProblem('implemented', 'open', undefined)).toMatchObject({ code: 'illegal' });
    expect(recommendationChangeProblem('rejected', 'implemented', undefined)?.reason).toMatch(
      /cannot change/,
    );
    for (const s of RECOMMENDATION_STATUSES) expect(nextRecommendationStatuses(s)).not.toContain(s);
  });

  it('needs a reason to reject one', () => {
    expect(recommendationChangeProblem('open', 'rejected', '  ')).toEqual({
      code: 'invalid',
      reason: 'Say why the recommendation was rejected (reason).',
    });
    expect(recommendationChangeProblem('open', 'rejected', 'Too costly')).toBeNull();
  });

  it('is overdue only while outstanding and past its due date', () => {
    expect(recommendationOverdue({ status: 'open', dueOn: '2026-01-01' }, '2026-01-02')).toBe(true);
    expect(recommendationOverdue({ status: 'in_progress', dueOn: '2026-01-02' }, '2026-01-02')).toBe(false);
    expect(recommendationOverdue({ status: 'implemented', dueOn: '2026-01-01' }, '2026-03-01')).toBe(false);
    expect(recommendationOverdue({ status: 'open', dueOn: null }, '2026-03-01')).toBe(false);
  });

  it('needs the words, exactly one owner and a real due date', () => {
    expect(recommendationProblems({ text: 'Fix it', owner: 'Fleet', dueOn: '2026-02-28' })).toEqual([]);
    expect(recommendationProblems({ text: ' ', ownerId: 'a', owner: 'b', dueOn: '2026-02-30' })).toEqual([
      'Say what should be done (text).',
      'Give one owner: a member of staff who holds the case (ownerId) or a team or post (owner).',
      'dueOn must be a real date written YYYY-MM-DD.',
    ]);
  });
});
