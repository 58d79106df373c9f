import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { unlockPrivateKey } from '@nolan/crypto';
import request from 'supertest';
import { CoreModule } from '../../apps/api/src/app/core.module';
import { AuditModule } from '../../apps/api/src/audit/audit.module';
import { CaseAccessService, escrowKeyHolder } from '../../apps/api/src/cases/access/case-access.service';
import { CasesRepository } from '../../apps/api/src/cases/store/cases.repository';
import { OutboxRepository } from '../../apps/api/src/outbox/outbox.repository';
import { CaseRecorder } from '../../apps/api/src/cases/record/case-recorder';
import { StaffUsersRepository } from '../../apps/api/src/staff/staff-users.repository';
import { startApi } from '../support/api-app';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('recusal', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string; escrowRecoveryPassphrase: string };
  let mo: TestUser;
  let deputy: TestUser;
  let s151: TestUser;
  let investigator: TestUser;
  let reference: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('recusal');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    deputy = await fixtures.user(tenant.id, ['deputy_monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    ({ reference } = await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [mo.id, s151.id],
      report: { answers: { whatHappened: 'Recusal content' }, involves: [] },
    }));
    const server = app.getHttpServer();
    for (const [name, user] of Object.entries({ mo, deputy, s151, investigator }))
      tokens[name] = await signInAs(server, tenant.slug, user);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  const get = (who: string, path = `/api/v1/cases/${reference}`) =>
    request(app.getHttpServer()).get(path).auth(tokens[who]!, { type: 'bearer' });
  const recuse = (who: string, body: object) =>
    request(app.getHttpServer())
      .post(`/api/v1/cases/${reference}/recusal`)
      .auth(tokens[who]!, { type: 'bearer' })
      .send(body);

  it('refuses a recusal without a reason, and from someone the case does not exist for', async () => {
    const noReason = await recuse('mo', {}).expect(400);
    expect(noReason.body.message).toEqual(expect.arrayContaining(['reason is required']));
    await recuse('investigator', { reason: 'x' }).expect(404);
    await get('deputy').expect(404);
  });

  it('removes the recused handler at once and passes the case to whoever routing now names', async () => {
    await recuse('mo', { reason: 'I know the supplier personally.' }).expect(201, {
      recused: true,
      passedTo: 1,
      unrouted: false,
    });
    await get('mo').expect(404);
    const list = await get('mo', '/api/v1/cases').expect(200);
    expect(list.body.total).toBe(0);
    const deputyView = await get('deputy').expect(200);
    expect(deputyView.body.report).toEqual({ answers: { whatHappened: 'Recusal content' }, involves: [] });
    await get('s151').expect(200);

    const trail = await get('deputy', `/api/v1/cases/${reference}/audit`).expect(200);
    const grants = trail.body.items
      .filter((e: { action: string }) => e.action.startsWith('grant.'))
      .map((e: { action: string; details: { scope: string; granteeId: string } }) => [
        e.action,
        e.details.scope,
        e.details.granteeId,
      ]);
    expect(grants).toEqual(
      expect.arrayContaining([
        ['grant.created', 'report', deputy.id],
        ['grant.created', 'internal', deputy.id],
        ['grant.revoked', 'report', mo.id],
        ['grant.revoked', 'internal', mo.id],
      ]),
    );
    await recuse('mo', { reason: 'again' }).expect(404);

    // One routing event, in the same transaction, for the workers to tell the newcomer.
    const events = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(`SELECT payload FROM outbox WHERE event = 'case.routed'`);
    });
    expect(events).toEqual([{ payload: { reason: 'recused', assigneeId: null, newGrantees: deputy.id } }]);
  });

  // The contract another feature relies on: someone named later as involved (here the monitoring
  // officer, by id) is excluded through CaseAccessService; they, and the deputy who answers to them,
  // lose access at once; the conflict route's lead takes over, with the identity scope, granted from
  // the escrow key; one case.routed event tells the newcomer.
  it('excludes a person named later as involved, with whoever answers to them, and re-routes from the escrow', async () => {
    const hops = await fixtures.user(tenant.id, ['head_of_paid_service']);
    const named = await fixtures.case(tenant.id, {
      category: 'dishonesty',
      staffIds: [mo.id, deputy.id, investigator.id],
      report: { answers: { whatHappened: 'Named later' }, involves: [] },
    });
    const moduleRef = await Test.createTestingModule({
      imports: [CoreModule, AuditModule],
      providers: [CaseAccessService, CaseRecorder, CasesRepository, StaffUsersRepository, OutboxRepository],
    }).compile();
    try {
      const access = moduleRef.get(CaseAccessService);
      const [row] = await fixtures.dataSource.query(
        `SELECT escrow_private_key_encrypted AS key FROM tenants WHERE id = $1`,
        [tenant.id],
      );
      const escrow = await unlockPrivateKey(row.key, tenant.escrowRecoveryPassphrase);
      const outcome = await fixtures.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
        return access.change(m, {
          tenantId: tenant.id,
          caseId: named.id,
          actor: { type: 'staff', id: investigator.id },
          keys: escrowKeyHolder(escrow),
          reason: 'named_as_involved',
          exclude: [{ userId: mo.id, kind: 'named_as_involved' }],
          reroute: true,
        });
      });
      expect(outcome).toEqual(
        expect.objectContaining({ newGrantees: [hops.id], withheld: [], unrouted: false, assigneeId: null }),
      );
      expect([...outcome.revoked].sort()).toEqual([mo.id, deputy.id].sort());
      expect(outcome.decision).toEqual(
        expect.objectContaining({ kind: 'routed', overseer: expect.objectContaining({ userId: hops.id }) }),
      );
      const scopes = await fixtures.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
        return m.query(
          `SELECT grantee_id, string_agg(scope, ',' ORDER BY scope) AS scopes FROM case_grants
           WHERE case_id = $1 AND grantee_kind = 'staff' GROUP BY grantee_id`,
          [named.id],
        );
      });
      expect(scopes).toEqual(
        expect.arrayContaining([
          { grantee_id: hops.id, scopes: 'identity,internal,report' },
          { grantee_id: investigator.id, scopes: 'internal,report' },
        ]),
      );
      expect(scopes).toHaveLength(2);
      await get('mo', `/api/v1/cases/${named.reference}`).expect(404);
      await get('deputy', `/api/v1/cases/${named.reference}`).expect(404);
      await get('investigator', `/api/v1/cases/${named.reference}`).expect(200);
    } finally {
      await moduleRef.close();
    }
  });

  // An explicit grant (an assignee, a naming's decider) never reaches someone the case excludes or its
  // conflict routes rule out, whoever asked: CaseAccessService drops them, always, re-routing or not.
  it('drops the excluded and the ruled out from an explicit grant, even without a re-route', async () => {
    const guarded = await fixtures.case(tenant.id, {
      category: 'fraud_theft',
      staffIds: [mo.id],
      report: { answers: { whatHappened: 'Grant guarded' }, involves: [] },
    });
    const moduleRef = await Test.createTestingModule({
      imports: [CoreModule, AuditModule],
      providers: [CaseAccessService, CaseRecorder, CasesRepository, StaffUsersRepository, OutboxRepository],
    }).compile();
    try {
      const access = moduleRef.get(CaseAccessService);
      const [row] = await fixtures.dataSource.query(
        `SELECT escrow_private_key_encrypted AS key FROM tenants WHERE id = $1`,
        [tenant.id],
      );
      const keys = escrowKeyHolder(await unlockPrivateKey(row.key, tenant.escrowRecoveryPassphrase));
      const change = (c: Partial<Parameters<CaseAccessService['change']>[1]>) =>
        fixtures.dataSource.transaction(async (m) => {
          await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
          return access.change(m, {
            tenantId: tenant.id,
            caseId: guarded.id,
            actor: { type: 'staff', id: mo.id },
            keys,
            reason: 'assigned',
            ...c,
          });
        });
      // The investigator recuses; later the monitoring officer is named, which rules out the deputy who
      // answers to them. A grant asking for all three, and the section 151 officer, gives only the last.
      await change({ exclude: [{ userId: investigator.id, kind: 'recused' }] });
      const outcome = await change({
        exclude: [{ userId: mo.id, kind: 'named_as_involved' }],
        grant: [investigator.id, deputy.id, mo.id, s151.id],
      });
      expect(outcome.newGrantees).toEqual([s151.id]);
      const holders = await fixtures.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
        return m.query(
          `SELECT DISTINCT grantee_id AS id FROM case_grants WHERE case_id = $1 AND grantee_kind = 'staff'`,
          [guarded.id],
        );
      });
      expect(holders).toEqual([{ id: s151.id }]);
    } finally {
      await moduleRef.close();
    }
  });
});
