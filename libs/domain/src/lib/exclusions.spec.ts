// The exclusion rules decide who loses access to a case and who may never be assigned it, so they must
// agree with routeCase, which decides who receives it: property tests throw random councils, role
// holders, namings and recusals at both.
import fc from 'fast-check';
import { CATEGORY_IDS } from './categories';
import { excludedRoles, isExcludedPerson, ruledOut } from './exclusions';
import { STAFF_ROLES, type StaffRole } from './roles';
import { type ConflictRoute, type ConflictRoutes, routeCase, type RoutingInput } from './routing';

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
  involvedUserIds: fc.shuffledSubarray([...USERS, 'stranger'], { maxLength: 2 }),
  recusedUserIds: fc.shuffledSubarray([...USERS, 'stranger'], { maxLength: 2 }),
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

function rolesOf(input: RoutingInput, userId: string): StaffRole[] {
  return input.roleHolders.filter((h) => h.userId === userId).flatMap((h) => [...h.roles]);
}

describe('case exclusions', () => {
  it('should never let routing give a case to anyone the exclusion rules rule out', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = routeCase(input);
        if (decision.kind !== 'routed') return;
        for (const recipient of [...decision.owners, ...decision.notify, decision.overseer])
          expect(ruledOut(input, recipient.userId, rolesOf(input, recipient.userId))).toBe(false);
      }),
    );
  });

  it('should rule out everyone named as involved and everyone who recused, whatever their roles', () => {
    fc.assert(
      fc.property(inputArb, fc.shuffledSubarray([...STAFF_ROLES]), (input, roles) => {
        for (const userId of [...input.involvedUserIds, ...input.recusedUserIds]) {
          expect(isExcludedPerson(input, userId)).toBe(true);
          expect(ruledOut(input, userId, roles)).toBe(true);
        }
      }),
    );
  });

  it('should rule out a person holding several roles if any one of them is excluded', () => {
    fc.assert(
      fc.property(inputArb, fc.shuffledSubarray([...STAFF_ROLES], { minLength: 1 }), (input, roles) => {
        const excluded = excludedRoles(input);
        const userId = 'someone-not-named';
        expect(ruledOut(input, userId, roles)).toBe(roles.some((r) => excluded.has(r)));
      }),
    );
  });

  it('should always exclude the roles the concern names', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const excluded = excludedRoles(input);
        for (const role of input.involvedRoles) expect(excluded.has(role)).toBe(true);
      }),
    );
  });

  it('should not depend on the order of the role holders or the namings', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...USERS), (input, userId) => {
        const reordered: RoutingInput = {
          ...input,
          roleHolders: [...input.roleHolders].reverse(),
          involvedRoles: [...input.involvedRoles].reverse(),
          involvedUserIds: [...input.involvedUserIds].reverse(),
        };
        const roles = rolesOf(input, userId);
        expect(ruledOut(reordered, userId, roles)).toBe(ruledOut(input, userId, roles));
      }),
    );
  });

  it('excludes the deputy with the monitoring officer unless the deputy is independent', () => {
    const base: RoutingInput = {
      category: CATEGORY_IDS[0],
      involvedRoles: ['monitoring_officer'],
      involvedUserIds: [],
      recusedUserIds: [],
      roleHolders: [{ userId: 'dmo', roles: ['deputy_monitoring_officer'] }],
    };
    expect(ruledOut(base, 'dmo', ['deputy_monitoring_officer'])).toBe(true);
    expect(ruledOut({ ...base, deputyIndependent: true }, 'dmo', ['deputy_monitoring_officer'])).toBe(false);
  });
});
