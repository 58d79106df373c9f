// Issue #15, "exclusions and overseers": people named as involved are excluded as people, frozen when
// named, and a case is never left without an independent overseer. A model of one case runs random
// sequences of role changes (a restructure), namings (of people and of roles, by the overseer, by
// handlers, confirmed or not), recusals, assignments and re-routes through the pure rules, and checks
// after every step that nobody ever named or recused holds or regains a grant, and that the case has an
// eligible overseer whenever the council's fallback overseer is free.
import fc from 'fast-check';
import { ruledOut } from './exclusions';
import { closingNeedsAgreement, type CaseStatus } from './lifecycle';
import { namingDecider, namingEffect, withNamed } from './namings';
import { HANDLER_ROLES, STAFF_ROLES, type StaffRole } from './roles';
import { routeCase, type RoutingInput } from './routing';

const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];
const CHAIR = 'chair';
const ROLES = STAFF_ROLES.filter((r) => r !== 'administrator' && r !== 'audit_committee_chair');

type Op =
  | { op: 'restructure'; userId: string; roles: StaffRole[] }
  | { op: 'namePerson'; by: string; userId: string; confirmed: boolean }
  | { op: 'nameRole'; by: string; role: StaffRole; confirmed: boolean }
  | { op: 'recuse'; userId: string }
  | { op: 'assign'; userId: string }
  | { op: 'reroute' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('restructure' as const),
    userId: fc.constantFrom(...USERS),
    roles: fc.shuffledSubarray(ROLES, { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    op: fc.constant('namePerson' as const),
    by: fc.constantFrom(...USERS),
    userId: fc.constantFrom(...USERS, CHAIR),
    confirmed: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('nameRole' as const),
    by: fc.constantFrom(...USERS),
    role: fc.constantFrom(...ROLES),
    confirmed: fc.boolean(),
  }),
  fc.record({ op: fc.constant('recuse' as const), userId: fc.constantFrom(...USERS) }),
  fc.record({ op: fc.constant('assign' as const), userId: fc.constantFrom(...USERS) }),
  fc.record({ op: fc.constant('reroute' as const) }),
);

const worldArb = fc.record({
  category: fc.constantFrom('gifts_hospitality', 'fraud_theft', 'safeguarding_children', 'retaliation'),
  roles: fc.array(fc.shuffledSubarray(ROLES, { minLength: 1, maxLength: 2 }), {
    minLength: USERS.length,
    maxLength: USERS.length,
  }),
  namedAtIntake: fc.shuffledSubarray(ROLES, { maxLength: 2 }),
  chairFree: fc.boolean(),
  ops: fc.array(opArb, { maxLength: 25 }),
});

/** One case: the council's roles now, who is excluded (frozen ids) and who holds a grant. */
class CaseModel {
  readonly roles = new Map<string, StaffRole[]>();
  readonly named = new Set<string>();
  readonly recused = new Set<string>();
  /** Naming requests not confirmed (still waiting): who asked, and the people each names. */
  readonly pending: { by: string; people: string[] }[] = [];
  grants = new Set<string>();

  constructor(
    private readonly category: string,
    roles: StaffRole[][],
    private readonly chairFree: boolean,
  ) {
    USERS.forEach((userId, i) => this.roles.set(userId, roles[i] ?? ['investigator']));
    this.roles.set(CHAIR, ['audit_committee_chair']);
  }

  input(): RoutingInput {
    return {
      category: this.category as RoutingInput['category'],
      // Frozen: the roles the report named were turned into people at intake.
      involvedRoles: [],
      involvedUserIds: [...this.named],
      recusedUserIds: [...this.recused],
      roleHolders: [...this.roles].map(([userId, roles]) => ({ userId, roles })),
      fallbackOverseerRole: 'audit_committee_chair',
      unavailableUserIds: this.chairFree ? [] : [CHAIR],
    };
  }

  holdersOf(role: StaffRole): string[] {
    return [...this.roles].filter(([, roles]) => roles.includes(role)).map(([userId]) => userId);
  }

  /** What CaseAccessService.change does: revoke whoever is ruled out, grant whoever routing names. */
  reroute(): void {
    const input = this.input();
    this.grants = new Set([...this.grants].filter((u) => !ruledOut(input, u, this.roles.get(u) ?? [])));
    const decision = routeCase(input);
    if (decision.kind === 'routed')
      for (const r of [...decision.owners, decision.overseer]) this.grants.add(r.userId);
  }

  exclude(people: readonly string[], as: 'named' | 'recused'): void {
    for (const p of people) (as === 'named' ? this.named : this.recused).add(p);
    this.reroute();
  }

  /** A naming after intake: at once, or when confirmed by its decider; a rejected one changes nothing. */
  name(by: string, people: readonly string[], confirmed: boolean): void {
    if (!this.grants.has(by) || people.length === 0) return;
    const input = this.input();
    const waiting = this.pending.flatMap((r) => r.people);
    const effect = namingEffect(input, by, people, waiting);
    if (effect.kind === 'pending') {
      // Nobody named in this request or in any other still pending decides it (deciding gives the case),
      // and with this one waiting too, nobody named in any decides another.
      expect([...people, ...waiting]).not.toContain(effect.deciderId);
      for (const request of this.pending) {
        const decider = namingDecider(input, request.by, request.people, [...waiting, ...people]);
        if (decider !== null) expect([...people, ...waiting, request.by]).not.toContain(decider);
      }
      expect(effect.deciderId).not.toBe(by);
      expect(
        ruledOut(withNamed(input, people), effect.deciderId, this.roles.get(effect.deciderId) ?? []),
      ).toBe(false);
    }
    if (effect.kind === 'immediate' || (effect.kind === 'pending' && confirmed))
      this.exclude(people, 'named');
    else if (effect.kind === 'pending') this.pending.push({ by, people: [...people] });
  }
}

describe('people named as involved, and the case’s overseer', () => {
  it('never lets anyone named or recused hold or regain a grant, through any sequence of role changes, namings, recusals and re-routes', () => {
    fc.assert(
      fc.property(worldArb, ({ category, roles, namedAtIntake, chairFree, ops }) => {
        const model = new CaseModel(category, roles, chairFree);
        // Intake: each role ticked names the people holding it then.
        for (const role of namedAtIntake) for (const u of model.holdersOf(role)) model.named.add(u);
        model.reroute();
        for (const op of ops) {
          if (op.op === 'restructure') model.roles.set(op.userId, op.roles);
          if (op.op === 'namePerson') model.name(op.by, [op.userId], op.confirmed);
          if (op.op === 'nameRole') model.name(op.by, model.holdersOf(op.role), op.confirmed);
          if (op.op === 'recuse' && model.grants.has(op.userId)) model.exclude([op.userId], 'recused');
          if (op.op === 'assign') {
            const input = model.input();
            const roles = model.roles.get(op.userId) ?? [];
            if (roles.some((r) => HANDLER_ROLES.includes(r)) && !ruledOut(input, op.userId, roles))
              model.grants.add(op.userId);
          }
          if (op.op === 'reroute') model.reroute();
          for (const holder of model.grants) {
            expect(model.named.has(holder)).toBe(false);
            expect(model.recused.has(holder)).toBe(false);
          }
          const decision = routeCase(model.input());
          if (decision.kind === 'routed') {
            expect(model.named.has(decision.overseer.userId)).toBe(false);
            expect(model.recused.has(decision.overseer.userId)).toBe(false);
          } else {
            // Only when even the fallback overseer is named, recused or not set up: said, never silent.
            expect(chairFree && !model.named.has(CHAIR) && !model.recused.has(CHAIR)).toBe(false);
            expect(decision.reason).toMatch(/fallback overseer/);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the overseer whatever a handler who is not the overseer names, until the naming is confirmed', () => {
    fc.assert(
      fc.property(worldArb, fc.array(fc.constantFrom(...ROLES), { maxLength: 6 }), (world, named) => {
        const model = new CaseModel(world.category, world.roles, true);
        model.reroute();
        const before = routeCase(model.input());
        if (before.kind !== 'routed') return;
        const attacker = [...model.grants].find((u) => u !== before.overseer.userId);
        if (!attacker) return;
        for (const role of named) {
          const people = model.holdersOf(role);
          if (people.length === 0 || people.every((p) => p === attacker)) continue;
          const effect = namingEffect(model.input(), attacker, people);
          expect(effect.kind).not.toBe('immediate');
          model.name(attacker, people, false);
        }
        const after = routeCase(model.input());
        expect(after.kind === 'routed' && after.overseer.userId).toBe(before.overseer.userId);
      }),
    );
  });

  it('names the overseer of the case with the naming in effect when a handler names the overseer', () => {
    const model = new CaseModel(
      'gifts_hospitality',
      [['monitoring_officer'], ['head_of_paid_service'], ['investigator']],
      true,
    );
    model.reroute();
    const input = model.input();
    expect(namingEffect(input, 'u3', ['u1'])).toEqual({ kind: 'pending', deciderId: 'u2' });
    expect(namingEffect(input, 'u3', ['u3'])).toEqual({ kind: 'immediate' });
    expect(namingEffect(input, 'u1', ['u3'])).toEqual({ kind: 'immediate' });
    expect(namingDecider(input, 'u3', ['u2'])).toBe('u1');
  });

  it('sends a case to the fallback overseer when every oversight role is named, and says when even that one is', () => {
    const model = new CaseModel(
      'gifts_hospitality',
      [
        ['monitoring_officer'],
        ['deputy_monitoring_officer'],
        ['head_of_paid_service'],
        ['s151_officer'],
        ['investigator'],
      ],
      true,
    );
    model.exclude(['u1', 'u2', 'u3', 'u4'], 'named');
    const decision = routeCase(model.input());
    expect(decision.kind === 'routed' && decision.overseer).toMatchObject({
      userId: CHAIR,
      role: 'audit_committee_chair',
    });
    expect(decision.kind === 'routed' && decision.warnings.join(' ')).toMatch(/fallback overseer/);
    model.exclude([CHAIR], 'named');
    const none = routeCase(model.input());
    expect(none.kind).toBe('no_eligible_recipient');
  });

  it('needs the overseer’s agreement for every closing but the overseer’s own decision, unless a statutory officer closes', () => {
    const states: CaseStatus[] = ['received', 'acknowledged', 'assessment', 'investigation'];
    for (const state of [...states, 'decision' as const])
      expect(closingNeedsAgreement(state, 'closed', 'withdrawn', ['investigator'], false)).toBe(true);
    for (const state of states) {
      expect(closingNeedsAgreement(state, 'closed', 'no_further_action', ['investigator'], false)).toBe(true);
      expect(closingNeedsAgreement(state, 'closed', 'no_further_action', ['investigator'], true)).toBe(false);
      expect(closingNeedsAgreement(state, 'closed', 'no_further_action', ['s151_officer'], false)).toBe(
        false,
      );
    }
    expect(closingNeedsAgreement('decision', 'closed', 'substantiated', ['investigator'], false)).toBe(false);
    expect(closingNeedsAgreement('assessment', 'investigation', null, ['investigator'], false)).toBe(false);
  });
});
