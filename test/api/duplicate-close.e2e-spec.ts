/**
 * Issue #19: "duplicate of another case" is an outcome of its own (docs/case-core.md "Duplicates"). A
 * case closed as a duplicate names the case it duplicates, which must be one the closer holds; the two
 * are linked with the case links (kind duplicate), the reporter is told in plain words without the
 * other reference, and the dashboard counts it on its own row rather than as no further action.
 */
import request from 'supertest';
import { CaseWorld } from '../support/case-fixtures';
import { signInWithReceipt } from '../support/reporter-client';

describe('closing a case as a duplicate of another', () => {
  let world: CaseWorld;
  const feedback = { actionTaken: 'We found it was reported already.', reasons: 'It is one concern.' };

  beforeAll(async () => {
    world = await CaseWorld.start('dupclose', { mo: ['monitoring_officer'] });
  }, 120_000);
  afterAll(async () => world?.close());

  it('needs the other case, links the two, and tells the reporter in plain words', async () => {
    const original = await world.submit();
    const copy = await world.submit();
    await world.runTo('mo', copy.reference, 'assessment');
    await world.as('mo').post(`/cases/${copy.reference}/feedback`, feedback).expect(201);
    const close = { to: 'closed', outcome: 'duplicate', reason: 'The same invoices were reported already.' };

    const unnamed = await world.move('mo', copy.reference, close).expect(400);
    expect(unnamed.body.message).toEqual([
      'Give the reference of the case this one duplicates (duplicateOf).',
    ]);
    const unknown = await world
      .move('mo', copy.reference, { ...close, duplicateOf: 'NLN-ZZZZ-ZZZZ' })
      .expect(400);
    expect(unknown.body.message).toEqual([
      'There is no case with that reference that you can open; give the reference of the case this one duplicates (duplicateOf).',
    ]);
    const itself = await world
      .move('mo', copy.reference, { ...close, duplicateOf: copy.reference })
      .expect(400);
    expect(itself.body.message).toEqual([
      'A case cannot be a duplicate of itself; give the reference of the other case (duplicateOf).',
    ]);
    // Nothing of a refused close is kept.
    expect((await world.as('mo').get(`/cases/${copy.reference}`).expect(200)).body.status).toBe('assessment');
    expect((await world.as('mo').get(`/cases/${copy.reference}/links`).expect(200)).body.items).toEqual([]);

    const closed = await world
      .move('mo', copy.reference, { ...close, duplicateOf: original.reference.toLowerCase() })
      .expect(201);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'duplicate' });

    const links = await world.as('mo').get(`/cases/${copy.reference}/links`).expect(200);
    expect(links.body.items).toEqual([
      expect.objectContaining({ kind: 'duplicate', reference: original.reference }),
    ]);
    const back = await world.as('mo').get(`/cases/${original.reference}/links`).expect(200);
    expect(back.body.items).toEqual([
      expect.objectContaining({ kind: 'duplicate', reference: copy.reference }),
    ]);

    const token = await signInWithReceipt(world.server, world.tenant.slug, copy.receipt);
    const view = await request(world.server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(view.body.outcome).toBe('duplicate');
    const told = view.body.messages.map((msg: { text: string }) => msg.text).at(-1);
    expect(told).toBe(
      'We have assessed your concern. The council already knew about what you reported and is dealing with it as part of another report. Your report stays on record and your receipt still works.',
    );
    expect(JSON.stringify(view.body)).not.toContain(original.reference);
  });

  it('keeps a link the two cases already have when one is closed as a duplicate of the other', async () => {
    const original = await world.submit();
    const copy = await world.submit();
    await world
      .as('mo')
      .post(`/cases/${copy.reference}/links`, {
        reference: original.reference,
        kind: 'same_subject',
        note: 'Same invoices.',
      })
      .expect(201);
    await world.runTo('mo', copy.reference, 'assessment');
    await world.as('mo').post(`/cases/${copy.reference}/feedback`, feedback).expect(201);
    await world
      .move('mo', copy.reference, {
        to: 'closed',
        outcome: 'duplicate',
        reason: 'Reported already.',
        duplicateOf: original.reference,
      })
      .expect(201);
    const links = await world.as('mo').get(`/cases/${copy.reference}/links`).expect(200);
    expect(links.body.items).toEqual([
      expect.objectContaining({
        kind: 'same_subject',
        reference: original.reference,
        note: 'Same invoices.',
      }),
    ]);
  });
});
