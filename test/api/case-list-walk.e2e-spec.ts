/**
 * The case list at scale (docs/performance.md "The case list"): for a person who holds many of the
 * council's cases the list walks the cases in deadline order and checks each one's grant, for a person
 * who holds few it starts from their grants. Either way it lists exactly the cases they hold, are not
 * excluded from and may see now, in deadline then reference order, a page at a time, and its total counts
 * the same cases: a case of a reporter's batch not yet released is neither listed nor counted (counting
 * it would tell of a report before its batch, docs/architecture.md "Reporter time").
 */
import { CaseWorld } from '../support/case-fixtures';

interface Row {
  id: string;
  reference: string;
  status: string;
  category: string;
  acknowledgement_due: string;
  assignee_id: string | null;
}

const CASES = 620;

describe('the case list, walked in deadline order', () => {
  let world: CaseWorld;
  let rows: Row[];
  let excluded: string;
  let unreleased: string;

  const list = async (who: string, query: string) =>
    (await world.as(who).get(`/cases?${query}`).expect(200)).body as {
      items: { reference: string }[];
      total: number;
    };
  const byDeadline = (a: Row, b: Row) =>
    a.acknowledgement_due === b.acknowledgement_due
      ? a.reference < b.reference
        ? -1
        : 1
      : a.acknowledgement_due < b.acknowledgement_due
        ? -1
        : 1;

  beforeAll(async () => {
    world = await CaseWorld.start('list-walk', { mo: ['monitoring_officer'], inv: ['investigator'] });
    const mo = world.user('mo').id;
    const inv = world.user('inv').id;
    // Metadata-only cases made in SQL, as the bench seeds them (nobody opens them): deadlines repeat,
    // so the reference decides within a day. References with a '0' are never intake's.
    rows = await world.query<Row>(
      `INSERT INTO cases (tenant_id, reference, category, status, received_at, acknowledgement_due,
                          feedback_due, assignee_id, assigned_on)
       SELECT $1, 'NLN-0' || lpad(i::text, 3, '0') || '-0' || upper(substr(md5(i::text), 1, 3)),
              (ARRAY['fraud_theft','bribery_corruption','gifts_hospitality'])[1 + i % 3],
              (ARRAY['received','assessment','investigation','closed'])[1 + (i * 7) % 4],
              date_trunc('hour', now()), current_date + (i * 11) % 37, current_date + 90,
              CASE WHEN i % 15 = 0 THEN $2::uuid END, CASE WHEN i % 15 = 0 THEN current_date END
         FROM generate_series(1, ${CASES}) i
       RETURNING id, reference, status, category, acknowledgement_due::text, assignee_id`,
      [world.tenant.id, inv],
    );
    // The monitoring officer holds every case in every scope (many: the walk); the investigator the
    // report and internal scopes of the cases assigned to them (few: from their grants).
    await world.query(
      `INSERT INTO case_grants (tenant_id, case_id, scope, grantee_kind, grantee_id, encrypted_scope_key)
       SELECT c.tenant_id, c.id, s.scope, 'staff', $1, '\\x00'::bytea
         FROM cases c CROSS JOIN (VALUES ('report'), ('internal'), ('identity')) s(scope)
        WHERE c.reference LIKE 'NLN-0%'`,
      [mo],
    );
    await world.query(
      `INSERT INTO case_grants (tenant_id, case_id, scope, grantee_kind, grantee_id, encrypted_scope_key)
       SELECT c.tenant_id, c.id, s.scope, 'staff', $1, '\\x00'::bytea
         FROM cases c CROSS JOIN (VALUES ('report'), ('internal')) s(scope)
        WHERE c.assignee_id = $1`,
      [inv],
    );
    // One case the monitoring officer recused from (their grants left behind), one not yet released.
    excluded = (rows[100] as Row).id;
    unreleased = (rows[200] as Row).id;
    await world.query(
      `INSERT INTO case_exclusions (tenant_id, case_id, user_id, kind) VALUES ($1, $2, $3, 'recused')`,
      [world.tenant.id, excluded, mo],
    );
    await world.query(`UPDATE cases SET visible_from = now() + interval '1 hour' WHERE id = $1`, [
      unreleased,
    ]);
  }, 120_000);
  afterAll(async () => world?.close());

  const seen = (r: Row) => r.id !== excluded && r.id !== unreleased;
  const refs = (selected: Row[]) => selected.map((r) => r.reference);

  it('lists what the monitoring officer holds in deadline order, page by page, with the right total', async () => {
    const expected = rows.filter(seen).sort(byDeadline);
    expect(expected).toHaveLength(CASES - 2);
    for (const offset of [0, 50, 600]) {
      const page = await list('mo', `limit=50&offset=${offset}`);
      expect(refs(page.items as Row[])).toEqual(refs(expected.slice(offset, offset + 50)));
      expect(page.total).toBe(CASES - 2);
    }
    const all = await list('mo', 'limit=100&offset=0');
    const listed = all.items.map((i) => i.reference);
    expect(listed).not.toContain((rows[200] as Row).reference);
    expect(listed).not.toContain((rows[100] as Row).reference);
  });

  it('filters in the query: status, category, reference, assignee', async () => {
    const check = async (query: string, keep: (r: Row) => boolean) => {
      const expected = rows.filter((r) => seen(r) && keep(r)).sort(byDeadline);
      const page = await list('mo', `limit=50&${query}`);
      expect(refs(page.items as Row[])).toEqual(refs(expected.slice(0, 50)));
      expect(page.total).toBe(expected.length);
    };
    await check('status=investigation', (r) => r.status === 'investigation');
    await check('category=fraud_theft', (r) => r.category === 'fraud_theft');
    await check('q=NLN-001', (r) => r.reference.startsWith('NLN-001'));
    await check(`assigneeId=${world.user('inv').id}`, (r) => r.assignee_id === world.user('inv').id);
    await check(
      'status=closed&category=gifts_hospitality',
      (r) => r.status === 'closed' && r.category === 'gifts_hospitality',
    );
  });

  it('lists what an investigator holds, starting from their grants, and only that', async () => {
    const inv = world.user('inv').id;
    const expected = rows.filter((r) => seen(r) && r.assignee_id === inv).sort(byDeadline);
    expect(expected.length).toBeGreaterThan(30);
    const page = await list('inv', 'limit=50');
    expect(refs(page.items as Row[])).toEqual(refs(expected.slice(0, 50)));
    expect(page.total).toBe(expected.length);
    const mine = await list('inv', 'limit=50&assignee=me&status=investigation');
    const wanted = expected.filter((r) => r.status === 'investigation');
    expect(refs(mine.items as Row[])).toEqual(refs(wanted));
    expect(mine.total).toBe(wanted.length);
  });

  it('pages by cursor to the same cases as by offset, each way, filtered or not', async () => {
    const walkAll = async (who: string, filter: string) => {
      const listed: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 20; pages++) {
        const page = (
          await world
            .as(who)
            .get(`/cases?limit=50${filter}${after ? `&after=${after}` : ''}`)
            .expect(200)
        ).body as { items: { reference: string }[]; total: number; next?: string };
        listed.push(...page.items.map((i) => i.reference));
        after = page.next ?? null;
        if (!after) return { listed, total: page.total };
      }
      throw new Error('more pages than cases');
    };
    const inv = world.user('inv').id;
    for (const [who, filter, keep] of [
      ['mo', '', () => true],
      ['mo', '&status=investigation', (r: Row) => r.status === 'investigation'],
      ['inv', '', (r: Row) => r.assignee_id === inv],
      ['inv', '&assignee=me', (r: Row) => r.assignee_id === inv],
    ] as [string, string, (r: Row) => boolean][]) {
      const expected = refs(rows.filter((r) => seen(r) && keep(r)).sort(byDeadline));
      const { listed, total } = await walkAll(who, filter);
      expect(listed).toEqual(expected);
      expect(total).toBe(expected.length);
    }
    // The cursor of a page is where the offset of the next one would start, and offset counts on from it.
    const first = (await world.as('mo').get('/cases?limit=50').expect(200)).body as { next: string };
    const byOffset = await list('mo', 'limit=25&offset=75');
    const byCursor = await list('mo', `limit=25&offset=25&after=${first.next}`);
    expect(refs(byCursor.items as Row[])).toEqual(refs(byOffset.items as Row[]));
    expect(byCursor.total).toBe(CASES - 2);
  });

  it('refuses a cursor that is not one', async () => {
    for (const after of ['NLN-0001-0ABC', '2026-02-30_NLN-0001-0ABC', "2026-01-01_NLN-0001-0ABC'--"]) {
      const res = await world
        .as('mo')
        .get(`/cases?after=${encodeURIComponent(after)}`)
        .expect(400);
      expect(res.body.message).toContain('after must be the next of a page of the case list');
    }
  });

  it('counts what is assigned to a person who holds many against their grants, and lists it', async () => {
    // The monitoring officer (who holds many: the walk) is assigned a quarter of the unassigned cases,
    // the one they recused from and the one not yet released among them: neither is listed or counted.
    const mo = world.user('mo').id;
    const mine = rows.filter(
      (r, i) => r.assignee_id === null && (i % 4 === 1 || r.id === excluded || r.id === unreleased),
    );
    expect(mine.map((r) => r.id)).toEqual(expect.arrayContaining([excluded, unreleased]));
    await world.query(
      `UPDATE cases SET assignee_id = $1, assigned_on = current_date WHERE id = ANY($2::uuid[])`,
      [mo, mine.map((r) => r.id)],
    );
    for (const r of mine) r.assignee_id = mo;
    const expected = refs(rows.filter((r) => seen(r) && r.assignee_id === mo).sort(byDeadline));
    expect(expected.length).toBeGreaterThan(100);
    for (const filter of ['assignee=me', 'assignee=me&status=received']) {
      const wanted =
        filter === 'assignee=me'
          ? expected
          : refs(
              rows.filter((r) => seen(r) && r.assignee_id === mo && r.status === 'received').sort(byDeadline),
            );
      const page = await list('mo', `limit=50&${filter}`);
      expect(refs(page.items as Row[])).toEqual(wanted.slice(0, 50));
      expect(page.total).toBe(wanted.length);
    }
    // The planner's switches are back as they were for the rest of the request and the next one.
    const all = await list('mo', 'limit=50&offset=50');
    expect(refs(all.items as Row[])).toEqual(refs(rows.filter(seen).sort(byDeadline)).slice(50, 100));
  });
});
