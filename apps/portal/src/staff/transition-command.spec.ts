import { buildCommand } from './staff-case-actions.controller';
import { NOTICES } from './staff-cases.controller';

describe('the transition forms', () => {
  it('lists every empty part of the first response at once, each against its field', () => {
    const { errors } = buildCommand('acknowledged', {}, []);
    expect(errors?.summary.map((e) => e.href)).toEqual([
      '#proposedHandling',
      '#whoIsInvolved',
      '#estimatedTimescale',
      '#supportAvailable',
    ]);
    expect(Object.keys(errors?.fields ?? {})).toHaveLength(4);
    expect(
      buildCommand(
        'acknowledged',
        { proposedHandling: 'a', whoIsInvolved: 'b', estimatedTimescale: 'c', supportAvailable: 'd' },
        [],
      ).errors,
    ).toBeUndefined();
  });

  it('says after each change of stage what happened, not only that the case moved on', () => {
    for (const to of ['assessment', 'investigation', 'decision', 'closed', 'reopened'])
      expect(NOTICES[`to-${to}`]).toMatch(/^The (assessment|investigation|findings|case)/);
    expect(Object.values(NOTICES)).not.toContain('The case has moved on.');
  });
});
