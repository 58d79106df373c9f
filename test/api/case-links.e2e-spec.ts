/**
 * Issue #7 "Links": related cases are linked (same subject, same pattern) by a handler who holds both;
 * a link shows on a case only to someone who also holds the other case — never a count or a hint of
 * one they cannot see; reporters never see links; unlinking; both audited on both cases; the note is
 * stored encrypted.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { LinksService } from '../../apps/api/src/cases/commands/links.service';
import { inTenant } from '../../apps/api/src/database/tenant-transaction';
import { startApi } from '../support/api-app';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';

describe('links between related cases', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let investigator: TestUser;
  const tokens: Record<string, string> = {};
  /** c1 from the web form (MO and s151), c2 held by MO and s151, c3 by the MO alone. */
  let c1: string;
  let c2: string;
  let c3: string;
  let receipt: string;
  const NOTE = 'LINKNOTE-7c1f both name the same contractor';

  const as = (who: string) => ({
    get: (path: string) =>
      request(app.getHttpServer()).get(`/api/v1${path}`).auth(tokens[who]!, { type: 'bearer' }),
    post: (path: string, body: object) =>
      request(app.getHttpServer()).post(`/api/v1${path}`).auth(tokens[who]!, { type: 'bearer' }).send(body),
    delete: (path: string) =>
      request(app.getHttpServer()).delete(`/api/v1${path}`).auth(tokens[who]!, { type: 'bearer' }),
  });

  beforeAll(async () => {
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('links');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    investigator = await fixtures.user(tenant.id, ['investigator']);
    const server = app.getHttpServer();
    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: { whatHappened: 'Inflated invoices', howYouKnow: 'documents', raisedBefore: 'no' },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    ({ reference: c1, receipt } = submitted.body);
    c2 = (
      await fixtures.case(tenant.id, {
        category: 'fraud_theft',
        staffIds: [mo.id, s151.id],
        report: { answers: { whatHappened: 'More inflated invoices' } },
      })
    ).reference;
    c3 = (
      await fixtures.case(tenant.id, {
        category: 'gifts_hospitality',
        staffIds: [mo.id],
        report: { answers: { whatHappened: 'Hospitality from the same contractor' } },
      })
    ).reference;
    tokens.mo = await signInAs(server, tenant.slug, mo);
    tokens.s151 = await signInAs(server, tenant.slug, s151);
    tokens.investigator = await signInAs(server, tenant.slug, investigator);
  });
  afterAll(async () => {
    await fixtures.close();
    await app.close();
  });

  let link12: string;
  let link13: string;

  it('links two cases for a handler who holds both, with the kind and the note', async () => {
    const res = await as('s151').post(`/cases/${c1}/links`, {
      reference: c2,
      kind: 'same_subject',
      note: NOTE,
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      kind: 'same_subject',
      reference: c2,
      note: NOTE,
      linkedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    link12 = res.body.id;
    const mine = await as('mo')
      .post(`/cases/${c3}/links`, {
        reference: c1.toLowerCase(),
        kind: 'same_pattern',
        note: 'Same contractor.',
      })
      .expect(201);
    link13 = mine.body.id;
  });

  it('refuses to link a case the caller does not hold exactly as it answers an unknown reference', async () => {
    const hidden = await as('s151')
      .post(`/cases/${c1}/links`, { reference: c3, kind: 'same_pattern', note: 'x' })
      .expect(404);
    const unknown = await as('s151')
      .post(`/cases/${c1}/links`, { reference: 'NLN-ZZZZ-ZZZZ', kind: 'same_pattern', note: 'x' })
      .expect(404);
    expect(hidden.body).toEqual(unknown.body);
    expect(hidden.body.message).toBe(
      'There is no case with the reference to link to, or it is not one of your cases.',
    );
    await as('investigator')
      .post(`/cases/${c1}/links`, { reference: c2, kind: 'same_subject', note: 'x' })
      .expect(404);
  });

  it('answers bad input with a 400 naming the field, a repeat with a 409 and a self-link with a 400', async () => {
    const badKind = await as('mo')
      .post(`/cases/${c1}/links`, { reference: c2, kind: 'similar', note: 'x' })
      .expect(400);
    expect(badKind.body.message).toEqual(['kind must be one of: same_subject, same_pattern']);
    const noNote = await as('mo')
      .post(`/cases/${c1}/links`, { reference: c2, kind: 'same_subject' })
      .expect(400);
    expect(noNote.body.message).toEqual(expect.arrayContaining(['note must be text']));
    const blank = await as('mo')
      .post(`/cases/${c1}/links`, { reference: c2, kind: 'same_subject', note: '   ' })
      .expect(400);
    expect(blank.body.message).toEqual(['note is required']);
    const again = await as('mo')
      .post(`/cases/${c2}/links`, { reference: c1, kind: 'same_pattern', note: 'Again.' })
      .expect(409);
    expect(again.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'These cases are already linked.',
    });
    const self = await as('mo')
      .post(`/cases/${c1}/links`, { reference: c1, kind: 'same_subject', note: 'x' })
      .expect(400);
    expect(self.body.message).toEqual(['A case cannot be linked to itself.']);
  });

  it('lists on a case only the links to cases the caller also holds, with no trace of the others', async () => {
    const forMo = await as('mo').get(`/cases/${c1}/links`).expect(200);
    expect(forMo.body.items.map((l: { reference: string }) => l.reference).sort()).toEqual([c2, c3].sort());
    const forS151 = await as('s151').get(`/cases/${c1}/links`).expect(200);
    expect(forS151.body).toEqual({
      items: [{ id: link12, kind: 'same_subject', reference: c2, note: NOTE, linkedOn: expect.any(String) }],
    });
    const raw = JSON.stringify(forS151.body);
    expect(raw).not.toContain(c3);
    expect(raw).not.toContain(link13);
    // Seen from the other end, the same link.
    const fromC2 = await as('s151').get(`/cases/${c2}/links`).expect(200);
    expect(fromC2.body.items).toEqual([expect.objectContaining({ id: link12, reference: c1, note: NOTE })]);
    await as('investigator').get(`/cases/${c1}/links`).expect(404);
  });

  it('tells other views (the timeline, exports) which link events a user may see', async () => {
    const links = app.get(LinksService);
    const dataSource = app.get(DataSource);
    const may = (userId: string, reference: string, linkId: string) =>
      inTenant(dataSource, tenant.id, async (m) => {
        const [row] = await m.query(`SELECT id FROM cases WHERE reference = $1`, [reference]);
        return links.maySeeLink(m, userId, row.id, linkId);
      });
    expect(await may(mo.id, c1, link13)).toBe(true);
    expect(await may(s151.id, c1, link13)).toBe(false);
    expect(await may(s151.id, c1, link12)).toBe(true);
    expect(await may(s151.id, c3, link12)).toBe(false);
    expect(await may(investigator.id, c1, link12)).toBe(false);
  });

  it('never shows a link to the reporter', async () => {
    const server = app.getHttpServer();
    const token = await signInWithReceipt(server, tenant.slug, receipt);
    const view = await request(server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    const raw = JSON.stringify(view.body);
    for (const hidden of [c2, c3, NOTE, 'same_subject', 'same_pattern', link12])
      expect(raw).not.toContain(hidden);
  });

  it('keeps the note encrypted in the database', async () => {
    const rows = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [tenant.id]);
      return m.query(
        `SELECT encode(note_for_a, 'escape') AS a, encode(note_for_b, 'escape') AS b FROM case_links WHERE id = $1`,
        [link12],
      );
    });
    expect(rows).toHaveLength(1);
    expect(`${rows[0].a}${rows[0].b}`).not.toContain('LINKNOTE');
  });

  it('unlinks only for someone holding both cases, and audits linking and unlinking on both', async () => {
    await as('s151').delete(`/cases/${c1}/links/${link13}`).expect(404);
    await as('s151').delete(`/cases/${c1}/links/not-a-uuid`).expect(404);
    await as('mo').delete(`/cases/${c2}/links/${link13}`).expect(404);
    await as('mo').delete(`/cases/${c1}/links/${link13}`).expect(204);
    const after = await as('mo').get(`/cases/${c3}/links`).expect(200);
    expect(after.body).toEqual({ items: [] });
    for (const reference of [c1, c3]) {
      const trail = await as('mo').get(`/cases/${reference}/audit?limit=200`).expect(200);
      const linking = trail.body.items
        .filter((e: { action: string }) => e.action === 'case.linked' || e.action === 'case.unlinked')
        .filter((e: { details: { linkId: string } }) => e.details.linkId === link13)
        .map((e: { action: string; details: object }) => [e.action, e.details]);
      expect(linking).toEqual([
        ['case.linked', { linkId: link13, kind: 'same_pattern' }],
        ['case.unlinked', { linkId: link13, kind: 'same_pattern' }],
      ]);
    }
  });
});
