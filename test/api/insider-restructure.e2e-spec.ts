/**
 * Issue #15, path 3: "exclusions follow roles, not people". People named as involved are excluded as
 * people, frozen when named: the holders of each role the report ticks are recorded by id at intake
 * (case_exclusions 'named_in_report'). After a restructure the person named cannot be assigned the
 * case about them nor oversee it after a re-route, whatever role they hold now, while the innocent new
 * holder of the role they left can.
 */
import { Client } from 'pg';
import { signInAs } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';
import { CaseWorld } from '../support/case-fixtures';

describe('a restructure after a concern names someone', () => {
  let world: CaseWorld;

  beforeAll(async () => {
    world = await CaseWorld.start('restructure', {
      ann: ['monitoring_officer'],
      hugh: ['head_of_paid_service'],
      sam: ['s151_officer'],
      ivan: ['investigator'],
    });
  }, 180_000);
  afterAll(() => world?.close());

  /** A restructure: the person's roles change in the council's records (the operator's doing). */
  const restructure = async (who: string, roles: string[]) => {
    await world.query(`UPDATE staff_users SET roles = $2 WHERE id = $1`, [world.user(who).id, roles]);
    // Signed in again for the new roles (the next TOTP step: the first one was used at the start).
    world.tokens[who] = await signInAs(world.server, world.tenant.slug, world.user(who), 1);
  };
  const exclusions = (reference: string) =>
    world.query(
      `SELECT e.user_id AS "userId", e.kind FROM case_exclusions e JOIN cases c ON c.id = e.case_id
        WHERE c.reference = $1`,
      [reference],
    );

  it('keeps the person the report named from being assigned it, and lets the new holder of their old role handle it', async () => {
    const { as, user } = { as: world.as.bind(world), user: world.user.bind(world) };
    const { reference } = await world.submit({ involves: ['s151_officer'] });
    expect(await exclusions(reference)).toEqual([{ userId: user('sam').id, kind: 'named_in_report' }]);

    // Sam leaves finance for investigations; Sue becomes the section 151 officer.
    await restructure('sam', ['investigator']);
    const sue = await world.addUser('sue', ['s151_officer']);

    const assignees = await as('ann').get(`/cases/${reference}/assignees`).expect(200);
    const offered = JSON.stringify(assignees.body);
    expect(offered).not.toContain(user('sam').id);
    expect(offered).toContain(sue.id);
    const refused = await as('ann')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('sam').id })
      .expect(409);
    expect(refused.body.message).toMatch(/involved in the concern/);
    await as('sam').get(`/cases/${reference}`).expect(404);

    await as('ann').post(`/cases/${reference}/assignment`, { assigneeId: sue.id }).expect(200);
    await as('sue').get(`/cases/${reference}`).expect(200);
    await as('sam').get(`/cases/${reference}`).expect(404);
  });

  it('never lets the person named oversee the case after a re-route, and gives it to the innocent new holder', async () => {
    const { as, user } = { as: world.as.bind(world), user: world.user.bind(world) };
    // The report is about the monitoring officer, Ann: the head of paid service, Hugh, oversees it.
    const { reference } = await world.submit({ involves: ['monitoring_officer'] });
    await as('ann').get(`/cases/${reference}`).expect(404);
    await as('hugh').get(`/cases/${reference}`).expect(200);

    // The restructure: Ann becomes head of paid service, Hugh an investigator, Mia the new monitoring officer.
    await restructure('ann', ['head_of_paid_service']);
    await restructure('hugh', ['investigator']);
    await world.addUser('mia', ['monitoring_officer']);

    // Hugh steps aside, so the case is re-routed: under the old rule Ann, now head of paid service, would
    // lead it (the monitoring officer's conflict route) and Mia, holder of the role named, would be shut out.
    await as('hugh')
      .post(`/cases/${reference}/recusal`, { reason: 'I now report to the person named.' })
      .expect(201);
    await as('ann').get(`/cases/${reference}`).expect(404);
    await as('mia').get(`/cases/${reference}`).expect(200);
    // Mia oversees it: she assigns it.
    await as('mia')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('ivan').id })
      .expect(200);
    const refused = await as('mia')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('ann').id })
      .expect(409);
    expect(refused.body.message).toMatch(/involved in the concern/);
    expect(await exclusions(reference)).toEqual(
      expect.arrayContaining([
        { userId: user('ann').id, kind: 'named_in_report' },
        { userId: user('hugh').id, kind: 'recused' },
      ]),
    );
  });

  it('records the people a case from before issue #15 named, once, the first time its report is opened', async () => {
    const { as, user } = { as: world.as.bind(world), user: world.user.bind(world) };
    // After the restructure above: Sue is the section 151 officer, Mia the monitoring officer.
    const sue = world.user('sue');
    const { reference } = await world.submit({ involves: ['s151_officer'] });
    const wipe = `DELETE FROM case_exclusions e USING cases c WHERE c.id = e.case_id AND c.reference = $1`;
    // The application's role cannot take an exclusion back: the table is append-only for it.
    await expect(world.query(wipe, [reference])).rejects.toThrow(
      /permission denied for table case_exclusions/,
    );
    // As the case was before the migration (set up as the owner): no intake namings, and the flag down.
    const owner = new Client({ connectionString: TEST_ENV.MIGRATION_DATABASE_URL });
    await owner.connect();
    try {
      await owner.query(wipe, [reference]);
      await owner.query(`UPDATE cases SET people_frozen = false WHERE reference = $1`, [reference]);
    } finally {
      await owner.end();
    }
    await as('mia').get(`/cases/${reference}/assignees`).expect(200);
    expect(await exclusions(reference)).toEqual([{ userId: sue.id, kind: 'named_in_report' }]);
    const [row] = await world.query<{ people_frozen: boolean }>(
      `SELECT people_frozen FROM cases WHERE reference = $1`,
      [reference],
    );
    expect(row?.people_frozen).toBe(true);
    await as('mia').post(`/cases/${reference}/assignment`, { assigneeId: sue.id }).expect(409);
    await as('mia')
      .post(`/cases/${reference}/assignment`, { assigneeId: user('sam').id })
      .expect(200);
  });
});
