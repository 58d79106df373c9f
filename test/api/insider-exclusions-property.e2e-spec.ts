/**
 * Issue #15, the property over the real door: for random sequences of role changes (a restructure,
 * written to the council's records), namings (of roles and of people, by anyone holding the case,
 * confirmed by whoever may or not at all), recusals, assignments and re-routes, driven through the API,
 * nobody ever recorded as named or recused in a case holds a grant on it or gets past the door (the
 * unknown-reference 404), and the case keeps an overseer while the council's fallback overseer is free.
 * libs/domain/src/lib/namings.spec.ts checks the same over the pure rules with many more runs.
 */
import fc from 'fast-check';
import { CaseWorld } from '../support/case-fixtures';

const PEOPLE = ['mo', 'deputy', 'hops', 's151', 'chair', 'inv1', 'inv2', 'inv3'] as const;
const NAMEABLE = ['monitoring_officer', 'deputy_monitoring_officer', 'head_of_paid_service', 's151_officer'];
const ROLES = ['investigator', ...NAMEABLE];
type Who = (typeof PEOPLE)[number];

type Op =
  | { op: 'restructure'; who: Who; role: string }
  | { op: 'nameRole'; by: number; role: string; confirm: boolean }
  | { op: 'namePerson'; by: number; whom: Who; confirm: boolean; as?: Who }
  | { op: 'recuse'; who: number }
  | { op: 'assign'; whom: Who };

const who = fc.constantFrom(...PEOPLE.filter((p) => p !== 'chair'));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('restructure' as const), who, role: fc.constantFrom(...ROLES) }),
  // Who acts is one of the people holding the case at that moment (by index), so the ops get in.
  fc.record({
    op: fc.constant('nameRole' as const),
    by: fc.nat(),
    role: fc.constantFrom(...NAMEABLE),
    confirm: fc.boolean(),
  }),
  fc.record({ op: fc.constant('namePerson' as const), by: fc.nat(), whom: who, confirm: fc.boolean() }),
  fc.record({ op: fc.constant('recuse' as const), who: fc.nat() }),
  fc.record({ op: fc.constant('assign' as const), whom: who }),
);

jest.setTimeout(600_000);

describe('exclusions and overseers, over the real door', () => {
  let world: CaseWorld;
  const initial: Record<Who, string[]> = {
    mo: ['monitoring_officer'],
    deputy: ['deputy_monitoring_officer'],
    hops: ['head_of_paid_service'],
    s151: ['s151_officer'],
    chair: ['audit_committee_chair'],
    inv1: ['investigator'],
    inv2: ['investigator'],
    inv3: ['investigator'],
  };

  beforeAll(async () => {
    world = await CaseWorld.start('exclprop', initial);
  }, 300_000); // eight users, each with a key pair and an Argon2 sign-in
  afterAll(() => world?.close());

  const setRoles = (w: Who, roles: string[]) =>
    world.query(`UPDATE staff_users SET roles = $2 WHERE id = $1`, [world.user(w).id, roles]);
  const idOf = (w: Who) => world.user(w).id;
  const whoIs = (id: string) => PEOPLE.find((p) => idOf(p) === id) as Who;

  /** What the database says about the case: who is excluded, who holds a grant, and its routing. */
  const state = async (reference: string) => {
    const excluded = await world.query<{ user_id: string }>(
      `SELECT e.user_id FROM case_exclusions e JOIN cases c ON c.id = e.case_id WHERE c.reference = $1`,
      [reference],
    );
    const holders = await world.query<{ grantee_id: string }>(
      `SELECT DISTINCT g.grantee_id FROM case_grants g JOIN cases c ON c.id = g.case_id
        WHERE c.reference = $1 AND g.grantee_kind = 'staff'`,
      [reference],
    );
    const [row] = await world.query<{ routing: string }>(`SELECT routing FROM cases WHERE reference = $1`, [
      reference,
    ]);
    return {
      excluded: excluded.map((e) => whoIs(e.user_id)),
      holders: holders.map((h) => whoIs(h.grantee_id)),
      routing: row?.routing,
    };
  };

  /** Tries a confirmation as everyone in turn: only the one who may confirm gets through. */
  const confirmAsWhoever = async (reference: string, requestId: string) => {
    for (const p of PEOPLE) {
      const res = await world
        .as(p)
        .post(`/cases/${reference}/involved/requests/${requestId}/decision`, { confirm: true });
      if (res.status === 200) return p;
      expect([403, 404]).toContain(res.status);
    }
    return null;
  };

  /** What the runs did, so the property is seen not to hold vacuously. */
  const tally: Record<string, number> = {};
  let excludedSeen = 0;

  const run = async (op: Op, reference: string, holders: readonly Who[]): Promise<void> => {
    if (op.op === 'restructure') {
      await setRoles(op.who, [op.role]);
      return;
    }
    if (op.op === 'assign') {
      // Whoever oversees the case assigns it; everyone else is refused (403, or 404 without the case).
      for (const p of holders) {
        const res = await world.as(p).post(`/cases/${reference}/assignment`, { assigneeId: idOf(op.whom) });
        expect([200, 400, 403, 409]).toContain(res.status);
        if (res.status !== 403) return;
      }
      return;
    }
    const actor =
      (op.op === 'namePerson' ? op.as : undefined) ??
      holders[(op.op === 'recuse' ? op.who : op.by) % Math.max(holders.length, 1)];
    if (!actor) return;
    if (op.op === 'recuse') {
      const res = await world.as(actor).post(`/cases/${reference}/recusal`, { reason: 'A conflict.' });
      expect([201, 404, 409]).toContain(res.status);
      return;
    }
    const body =
      op.op === 'nameRole'
        ? { role: op.role, reason: 'They are involved.' }
        : { userId: idOf(op.whom), reason: 'They are involved.' };
    const res = await world.as(actor).post(`/cases/${reference}/involved`, body);
    tally[`name ${res.status}`] = (tally[`name ${res.status}`] ?? 0) + 1;
    expect([200, 202, 400, 404, 409]).toContain(res.status);
    if (res.status === 202 && op.confirm) {
      const confirmer = await confirmAsWhoever(reference, res.body.requestId);
      tally[confirmer ? 'confirmed' : 'unconfirmable'] =
        (tally[confirmer ? 'confirmed' : 'unconfirmable'] ?? 0) + 1;
    }
  };

  it('never lets anyone named or recused hold a grant or get in, and keeps an overseer while the fallback is free', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(NAMEABLE, { maxLength: 1 }),
        fc.array(opArb, { minLength: 3, maxLength: 7 }),
        async (involves, ops) => {
          for (const p of PEOPLE) await setRoles(p, initial[p]);
          const { reference } = await world.submit({ involves });
          for (const op of ops) {
            await run(op, reference, (await state(reference)).holders);
            const now = await state(reference);
            excludedSeen += now.excluded.length;
            for (const p of now.excluded) {
              expect({ op, excludedHolds: p, holds: now.holders.includes(p) }).toEqual({
                op,
                excludedHolds: p,
                holds: false,
              });
              await world.as(p).get(`/cases/${reference}`).expect(404);
            }
            if (!now.excluded.includes('chair'))
              expect({ op, routing: now.routing }).toEqual({ op, routing: 'routed' });
          }
        },
      ),
      {
        // A fixed seed keeps CI's run the same from one commit to the next; FC_SEED explores others.
        seed: Number(process.env.FC_SEED ?? 1515),
        numRuns: 8,
        endOnFailure: true,
        // One run that is sure to take both paths, whatever the seed draws: the assigned investigator
        // names the s151 officer (a request, confirmed), then names themself (at once).
        examples: [
          [
            [],
            [
              { op: 'assign', whom: 'inv1' },
              { op: 'namePerson', by: 0, whom: 's151', confirm: true, as: 'inv1' },
              { op: 'namePerson', by: 0, whom: 'inv1', confirm: false, as: 'inv1' },
            ],
          ],
        ],
      },
    );
    // The runs did name people at once and by confirmation, and excluded them.
    expect(tally).toMatchObject({ 'name 200': expect.any(Number), 'name 202': expect.any(Number) });
    expect(excludedSeen).toBeGreaterThan(0);
  });
});
