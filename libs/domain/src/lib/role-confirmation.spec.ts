// Who confirms a role (issue #15): never an administrator, never the person themselves, and the head of
// paid service for the monitoring officer's post.
import fc from 'fast-check';
import { CATEGORY_IDS } from './categories';
import { confirmerRole, mayConfirm, roleNeedsConfirmation } from './role-confirmation';
import { OVERSIGHT_ROLES, STAFF_ROLES, type StaffRole } from './roles';
import { routeCase } from './routing';

describe('role confirmation', () => {
  it('needs confirming for every role but administrator', () => {
    expect(STAFF_ROLES.filter((r) => !roleNeedsConfirmation(r))).toEqual(['administrator']);
  });

  it('is the monitoring officer’s to confirm, except for the monitoring officer’s post', () => {
    expect(confirmerRole({ userId: 'u', rolesInForce: [], roles: ['investigator'] })).toBe(
      'monitoring_officer',
    );
    expect(confirmerRole({ userId: 'u', rolesInForce: [], roles: ['monitoring_officer'] })).toBe(
      'head_of_paid_service',
    );
    expect(
      confirmerRole({ userId: 'u', rolesInForce: ['monitoring_officer'], roles: ['investigator'] }),
    ).toBe('head_of_paid_service');
  });

  it('refuses the person themselves, administrators and the wrong oversight role', () => {
    const change = { userId: 'mo', rolesInForce: [], roles: ['investigator' as const] };
    expect(mayConfirm({ userId: 'mo', roles: ['monitoring_officer'] }, change).ok).toBe(false);
    expect(mayConfirm({ userId: 'x', roles: ['administrator'] }, change).ok).toBe(false);
    expect(mayConfirm({ userId: 'x', roles: ['head_of_paid_service'] }, change).ok).toBe(false);
    expect(mayConfirm({ userId: 'x', roles: ['monitoring_officer'] }, change)).toEqual({ ok: true });
  });
});

describe('routing over any sequence of role requests, confirmations, refusals and removals (issue #15)', () => {
  type Op =
    | { kind: 'request'; user: string; role: StaffRole }
    | { kind: 'confirm'; user: string; by: string; lead: boolean }
    | { kind: 'refuse'; user: string; by: string }
    | { kind: 'remove'; user: string; role: StaffRole }
    | { kind: 'lead'; user: string; role: StaffRole; by: string };
  const USERS = ['u1', 'u2', 'u3', 'u4', 'u5'];
  const ROLES: StaffRole[] = [
    'monitoring_officer',
    'deputy_monitoring_officer',
    'investigator',
    's151_officer',
    'head_of_paid_service',
  ];
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('request' as const),
      user: fc.constantFrom(...USERS),
      role: fc.constantFrom(...ROLES),
    }),
    fc.record({
      kind: fc.constant('confirm' as const),
      user: fc.constantFrom(...USERS),
      by: fc.constantFrom('mo', 'hops', ...USERS),
      lead: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('refuse' as const),
      user: fc.constantFrom(...USERS),
      by: fc.constantFrom('mo', 'hops', ...USERS),
    }),
    fc.record({
      kind: fc.constant('remove' as const),
      user: fc.constantFrom(...USERS),
      role: fc.constantFrom(...ROLES),
    }),
    fc.record({
      kind: fc.constant('lead' as const),
      user: fc.constantFrom(...USERS),
      role: fc.constantFrom(...ROLES),
      by: fc.constantFrom('mo', 'hops'),
    }),
  );

  it('never routes to a role nobody confirmed, and always finds an overseer while one is confirmed', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.constantFrom(...CATEGORY_IDS), (ops, category) => {
        // The council's first holders, set by the operator: confirmed.
        const inForce = new Map<string, Set<StaffRole>>([
          ['mo', new Set<StaffRole>(['monitoring_officer'])],
          ['hops', new Set<StaffRole>(['head_of_paid_service'])],
          ...USERS.map((u) => [u, new Set<StaffRole>()] as [string, Set<StaffRole>]),
        ]);
        const pending = new Map<string, Set<StaffRole>>(USERS.map((u) => [u, new Set<StaffRole>()]));
        const leads: Partial<Record<StaffRole, string>> = {};
        const holders = () => [...inForce].map(([userId, roles]) => ({ userId, roles: [...roles] }));
        const may = (by: string, user: string, roles: StaffRole[]) =>
          mayConfirm(
            { userId: by, roles: [...(inForce.get(by) ?? [])] },
            { userId: user, rolesInForce: [...(inForce.get(user) ?? [])], roles },
          ).ok;
        for (const op of ops) {
          const asked = [...(pending.get(op.user) ?? [])];
          if (op.kind === 'request' && !inForce.get(op.user)?.has(op.role))
            pending.get(op.user)?.add(op.role);
          if (op.kind === 'confirm' && asked.length && may(op.by, op.user, asked)) {
            for (const role of asked) {
              inForce.get(op.user)?.add(role);
              if (op.lead) leads[role] = op.user;
            }
            pending.get(op.user)?.clear();
          }
          if (op.kind === 'refuse' && asked.length && may(op.by, op.user, asked))
            pending.get(op.user)?.clear();
          if (op.kind === 'remove') {
            inForce.get(op.user)?.delete(op.role);
            pending.get(op.user)?.delete(op.role);
            if (leads[op.role] === op.user) delete leads[op.role];
          }
          if (op.kind === 'lead' && inForce.get(op.user)?.has(op.role) && may(op.by, op.user, [op.role]))
            leads[op.role] = op.user;

          const decision = routeCase({
            category,
            involvedRoles: [],
            involvedUserIds: [],
            recusedUserIds: [],
            roleHolders: holders(),
            leads,
          });
          const overseers = holders().filter((h) => h.roles.some((r) => OVERSIGHT_ROLES.includes(r)));
          if (overseers.length === 0) {
            expect(decision.kind).toBe('no_eligible_recipient');
            continue;
          }
          expect(decision.kind).toBe('routed');
          if (decision.kind !== 'routed') continue;
          for (const r of [...decision.owners, ...decision.notify, decision.overseer])
            expect(inForce.get(r.userId)?.has(r.role)).toBe(true);
          const lead = leads[decision.overseer.role];
          if (lead !== undefined && inForce.get(lead)?.has(decision.overseer.role))
            expect(decision.overseer.userId).toBe(lead);
        }
      }),
      { numRuns: 300 },
    );
  });
});
