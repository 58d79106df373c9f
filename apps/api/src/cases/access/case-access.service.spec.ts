import {
  CATEGORY_IDS,
  type ConflictRoute,
  type ConflictRoutes,
  routeCase,
  type RoutingInput,
  STAFF_ROLES,
  type StaffRole,
} from '@nolan/domain';
import fc from 'fast-check';
import { ruledOut } from './case-access.service';

// ruledOut mirrors routeCase's exclusion rule to decide who must LOSE access on re-routing and who may
// not be assigned. If the two drifted apart, a re-route could leave someone excluded holding keys, so
// the mirror is checked against routeCase itself over random tenants.

const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
const routeArb: fc.Arbitrary<ConflictRoute> = fc.record({
  leads: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 3 }),
  owners: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 3 }),
  notify: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 3 }),
  excludedWithSubject: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 2 }),
});
const inputArb: fc.Arbitrary<RoutingInput> = fc.record({
  category: fc.constantFrom(...CATEGORY_IDS),
  involvedRoles: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 3 }),
  involvedUserIds: fc.shuffledSubarray(USERS, { maxLength: 2 }),
  recusedUserIds: fc.shuffledSubarray(USERS, { maxLength: 2 }),
  roleHolders: fc.array(
    fc.record({
      userId: fc.constantFrom(...USERS),
      roles: fc.shuffledSubarray([...STAFF_ROLES], { minLength: 1, maxLength: 3 }),
    }),
    { maxLength: 10 },
  ),
  conflictRoutes: fc.option(
    fc.dictionary(fc.constantFrom(...STAFF_ROLES), routeArb, { maxKeys: 4 }) as fc.Arbitrary<ConflictRoutes>,
    { nil: undefined },
  ),
  deputyIndependent: fc.option(fc.boolean(), { nil: undefined }),
});
const rolesOf = (input: RoutingInput, userId: string): StaffRole[] => [
  ...new Set(input.roleHolders.filter((h) => h.userId === userId).flatMap((h) => h.roles)),
];
const holders = (entries: Record<string, StaffRole[]>) =>
  Object.entries(entries).map(([userId, roles]) => ({ userId, roles }));

describe('ruledOut (who routing excludes from a case)', () => {
  it('should never rule out anyone routeCase gives the case to', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = routeCase(input);
        if (decision.kind !== 'routed') return;
        for (const r of [...decision.owners, ...decision.notify, decision.overseer])
          expect(ruledOut(input, r.userId, rolesOf(input, r.userId))).toBe(false);
      }),
    );
  });

  it('rules out the person named, the recused, and the deputy with a named monitoring officer unless independent', () => {
    const input: RoutingInput = {
      category: 'dishonesty',
      involvedRoles: [],
      involvedUserIds: ['mo'],
      recusedUserIds: ['inv2'],
      roleHolders: holders({
        mo: ['monitoring_officer'],
        deputy: ['deputy_monitoring_officer'],
        hops: ['head_of_paid_service'],
        inv: ['investigator'],
        inv2: ['investigator'],
      }),
    };
    const out = (userId: string, i: RoutingInput = input) => ruledOut(i, userId, rolesOf(i, userId));
    expect(['mo', 'deputy', 'inv2'].map((u) => out(u))).toEqual([true, true, true]);
    expect(['hops', 'inv'].map((u) => out(u))).toEqual([false, false]);
    expect(out('deputy', { ...input, deputyIndependent: true })).toBe(false);
  });

  it('rules out every holder of a role the report names', () => {
    const input: RoutingInput = {
      category: 'fraud_theft',
      involvedRoles: ['s151_officer'],
      involvedUserIds: [],
      recusedUserIds: [],
      roleHolders: holders({ cfo: ['s151_officer'], mo: ['monitoring_officer'] }),
    };
    expect(ruledOut(input, 'cfo', ['s151_officer'])).toBe(true);
    expect(ruledOut(input, 'mo', ['monitoring_officer'])).toBe(false);
  });
});
