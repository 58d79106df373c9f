import type { TransitionRequest, TransitionTarget } from './transitions';

// Type-level checks: each `@ts-expect-error` line must fail to compile (tsc fails on an unused one), so
// these pin that a transition request keeps the domain command's shape, field for field.
describe('a transition request', () => {
  it('is the domain command for each stage, with its codes as the strings a form gives', () => {
    const close: TransitionRequest = {
      to: 'closed',
      outcome: 'referred_externally',
      reason: 'Passed to the external auditor',
      referral: { body: 'external_auditor' },
    };
    const plan: TransitionRequest = {
      to: 'investigation',
      reason: 'Credible and serious',
      plan: { scope: 'Payments in 2025', allegations: ['Invoices were split'] },
    };
    const stages: TransitionTarget[] = [
      'acknowledged',
      'assessment',
      'investigation',
      'decision',
      'closed',
      'reopened',
    ];
    expect([close.to, plan.to]).toEqual(['closed', 'investigation']);
    expect(stages).toHaveLength(6);
  });

  it('refuses a command that lacks what its stage requires, or names a stage there is not', () => {
    // @ts-expect-error the first response is required to acknowledge
    const noFirstResponse: TransitionRequest = { to: 'acknowledged' };
    // @ts-expect-error a closure needs its reason
    const noReason: TransitionRequest = { to: 'closed', outcome: 'withdrawn' };
    // @ts-expect-error there is no such stage
    const noStage: TransitionRequest = { to: 'archived' };
    const oneAllegation = { scope: 's', allegations: 'a' };
    // @ts-expect-error a plan's allegations are a list, not one string
    const oneString: TransitionRequest = { to: 'investigation', reason: 'r', plan: oneAllegation };
    expect([noFirstResponse, noReason, noStage, oneString]).toHaveLength(4);
  });
});
