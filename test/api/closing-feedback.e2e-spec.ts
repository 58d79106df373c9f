/**
 * Issue #19: a case cannot close owing the reporter feedback (libs/domain feedbackOwedAtClosure). Closing
 * without any feedback given since the case was received or reopened is a 409 with a clear message,
 * unless the closing records why none can be given; a withdrawal and a referral to another procedure
 * (which tells the reporter itself) are not refused.
 */
import { FEEDBACK_OWED_REASON } from '@nolan/domain';
import { CaseWorld } from '../support/case-fixtures';

describe('closing a case owing the reporter feedback', () => {
  let world: CaseWorld;
  const feedback = { actionTaken: 'We checked the invoices.', reasons: 'They were in order.' };
  const nfa = { to: 'closed', outcome: 'no_further_action', reason: 'The invoices were in order.' };

  beforeAll(async () => {
    world = await CaseWorld.start('closefb', { mo: ['monitoring_officer'] });
  }, 120_000);
  afterAll(async () => world?.close());

  it('refuses to close without feedback, with the reason, then closes once feedback is given', async () => {
    const { reference } = await world.submit();
    await world.runTo('mo', reference, 'assessment');
    const refused = await world.move('mo', reference, nfa).expect(409);
    expect(refused.body.message).toBe(FEEDBACK_OWED_REASON);
    expect(refused.body.message).toBe(
      'The reporter has not been given any feedback on this case. Give them feedback on the outcome before you close it, or record why no feedback can be given (noFeedbackReason).',
    );
    expect((await world.as('mo').get(`/cases/${reference}`).expect(200)).body.status).toBe('assessment');

    await world.as('mo').post(`/cases/${reference}/feedback`, feedback).expect(201);
    const closed = await world.move('mo', reference, nfa).expect(201);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'no_further_action' });

    // Reopening starts a new feedback duty: closing again needs new feedback.
    await world.move('mo', reference, { to: 'reopened', reason: 'New evidence' }).expect(201);
    await world.move('mo', reference, { to: 'assessment' }).expect(201);
    await world.move('mo', reference, nfa).expect(409);
  });

  it('closes with a recorded reason why no feedback can be given, kept in the case record', async () => {
    const { reference } = await world.submit();
    await world.runTo('mo', reference, 'decision');
    const decision = {
      to: 'closed',
      outcome: 'substantiated',
      reason: 'Records show it.',
      recommendations: [{ action: 'Retrain the team', owner: 'Head of HR' }],
    };
    const refused = await world.move('mo', reference, decision).expect(409);
    expect(refused.body.message).toBe(FEEDBACK_OWED_REASON);
    const blank = await world.move('mo', reference, { ...decision, noFeedbackReason: ' ' }).expect(400);
    expect(blank.body.message).toEqual([
      'Give the reason no feedback can be given, or leave it out (noFeedbackReason).',
    ]);
    const why = 'Saying more would prejudice the disciplinary hearing.';
    await world.move('mo', reference, { ...decision, noFeedbackReason: why }).expect(201);
    const timeline = await world.as('mo').get(`/cases/${reference}/timeline`).expect(200);
    expect(JSON.stringify(timeline.body)).toContain(why);
  });

  it('never refuses a withdrawal or a referral to another procedure for want of feedback', async () => {
    const first = await world.submit();
    await world.runTo('mo', first.reference, 'assessment');
    await world
      .move('mo', first.reference, {
        to: 'closed',
        outcome: 'withdrawn',
        reason: 'The reporter asked us to stop.',
      })
      .expect(201);
    const second = await world.submit();
    await world.runTo('mo', second.reference, 'assessment');
    await world
      .move('mo', second.reference, {
        to: 'closed',
        outcome: 'referred_to_another_procedure',
        reason: 'A personal grievance.',
        procedureReferral: { procedure: 'grievance' },
      })
      .expect(201);
  });
});
