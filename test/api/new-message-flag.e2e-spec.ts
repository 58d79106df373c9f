/**
 * Issue #19, the "new message" flag: the case's owner is told the reporter has written since they
 * last opened the case, on the case list and the case, and nobody else is. The flag comes from the
 * order of the case's items (case_reads.seen_seq), never a time, so it cannot place the reporter's
 * message any closer than the items themselves do (to the hour).
 */
import request from 'supertest';
import { CaseWorld } from '../support/case-fixtures';
import { signInWithReceipt } from '../support/reporter-client';

describe('the new message flag', () => {
  let world: CaseWorld;

  beforeAll(async () => {
    world = await CaseWorld.start('newmsg', { mo: ['monitoring_officer'], investigator: ['investigator'] });
  }, 120_000);
  afterAll(async () => world?.close());

  const flagOnList = async (who: string, reference: string) =>
    (await world.as(who).get('/cases?limit=100').expect(200)).body.items.find(
      (c: { reference: string }) => c.reference === reference,
    ).newMessage;

  it('flags a reporter message to the owner until they open the case, and to nobody else', async () => {
    const { reference, receipt } = await world.submit();
    await world
      .as('mo')
      .post(`/cases/${reference}/assignment`, { assigneeId: world.user('investigator').id })
      .expect(200);
    expect(await flagOnList('investigator', reference)).toBe(false);

    const reporter = await signInWithReceipt(world.server, world.tenant.slug, receipt);
    await request(world.server)
      .post('/api/v1/reporter/case/messages')
      .auth(reporter, { type: 'bearer' })
      .field('message', JSON.stringify({ text: 'One more thing.' }))
      .expect(201);

    expect(await flagOnList('investigator', reference)).toBe(true);
    expect(await flagOnList('mo', reference)).toBe(false);
    const opened = await world.as('investigator').get(`/cases/${reference}`).expect(200);
    expect(opened.body.newMessage).toBe(true);
    expect((await world.as('investigator').get(`/cases/${reference}`).expect(200)).body.newMessage).toBe(
      false,
    );
    expect(await flagOnList('investigator', reference)).toBe(false);

    // A staff message is not news to the owner.
    await world.as('mo').post(`/cases/${reference}/messages`, { text: 'Thank you.' }).expect(201);
    expect(await flagOnList('investigator', reference)).toBe(false);
  });

  it('keeps the read mark as an order, with no time in it', async () => {
    const columns = await world.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'case_reads' ORDER BY column_name`,
    );
    expect(columns).toEqual([
      { column_name: 'case_id', data_type: 'uuid' },
      { column_name: 'seen_seq', data_type: 'bigint' },
      { column_name: 'tenant_id', data_type: 'uuid' },
      { column_name: 'user_id', data_type: 'uuid' },
    ]);
  });
});
