// Routing decides who can decrypt a report (docs/architecture.md "Routing"; docs/regulatory.md §3), so an
// excluded person in the output is a disclosure. Example tests pin each default conflict route; property
// tests throw random tenants, role holders and involvements at it.
import fc from 'fast-check';
import { CATEGORY_IDS, type CategoryId } from './categories';
import { HANDLER_ROLES, OVERSIGHT_ROLES, STAFF_ROLES, type StaffRole } from './roles';
import {
  DEFAULT_CONFLICT_ROUTES,
  REQUIRED_CONFLICT_ROUTES,
  routeCase,
  validateConflictRoutes,
  type ConflictRoute,
  type ConflictRoutes,
  type Recipient,
  type RoleHolder,
  type RoutingDecision,
  type RoutingInput,
} from './routing';

const TENANT: RoleHolder[] = [
  { userId: 'mo', roles: ['monitoring_officer'] },
  { userId: 'dmo', roles: ['deputy_monitoring_officer'] },
  { userId: 'hops', roles: ['head_of_paid_service'] },
  { userId: 's151', roles: ['s151_officer'] },
  { userId: 'sg', roles: ['safeguarding_lead'] },
  { userId: 'chair', roles: ['audit_committee_chair'] },
  { userId: 'inv', roles: ['investigator'] },
  { userId: 'admin', roles: ['administrator'] },
];

function route(category: CategoryId, overrides: Partial<RoutingInput> = {}): RoutingDecision {
  return routeCase({
    category,
    involvedRoles: [],
    involvedUserIds: [],
    recusedUserIds: [],
    roleHolders: TENANT,
    ...overrides,
  });
}

/** The routed result as plain "user:role" lists, to compare at a glance. */
function summary(decision: RoutingDecision) {
  if (decision.kind !== 'routed') return decision;
  const ids = (list: readonly Recipient[]) => list.map((r) => `${r.userId}:${r.role}`);
  return {
    owners: ids(decision.owners),
    notify: ids(decision.notify),
    overseer: `${decision.overseer.userId}:${decision.overseer.role}`,
    applied: decision.appliedConflictRoutes,
  };
}

describe('routing a new case', () => {
  it('sends a code breach to the monitoring officer, who oversees it', () => {
    expect(summary(route('bullying_harassment_coercion'))).toEqual({
      owners: ['mo:monitoring_officer'],
      notify: [],
      overseer: 'mo:monitoring_officer',
      applied: [],
    });
  });

  it('sends fraud to the section 151 officer and the monitoring officer', () => {
    expect(summary(route('fraud_theft'))).toEqual({
      owners: ['s151:s151_officer', 'mo:monitoring_officer'],
      notify: [],
      overseer: 'mo:monitoring_officer',
      applied: [],
    });
  });

  it('sends safeguarding to the safeguarding lead and tells the monitoring officer', () => {
    expect(summary(route('safeguarding_children'))).toEqual({
      owners: ['sg:safeguarding_lead'],
      notify: ['mo:monitoring_officer'],
      overseer: 'mo:monitoring_officer',
      applied: [],
    });
  });

  it('explains each recipient in a sentence', () => {
    const decision = route('safeguarding_adults');
    if (decision.kind !== 'routed') throw new Error('expected routed');
    for (const recipient of [...decision.owners, ...decision.notify, decision.overseer]) {
      expect(recipient.reason).toMatch(/^[A-Z].*\.$/);
    }
    expect(decision.owners[0]?.reason).toBe(
      'Handles "An adult at risk of abuse or neglect" concerns by default.',
    );
  });

  describe('when the concern involves the monitoring officer', () => {
    it('goes to the head of paid service and leaves out a deputy who reports to the monitoring officer', () => {
      const decision = route('conflicts_of_interest', { involvedRoles: ['monitoring_officer'] });
      expect(summary(decision)).toEqual({
        owners: ['hops:head_of_paid_service'],
        notify: [],
        overseer: 'hops:head_of_paid_service',
        applied: ['monitoring_officer'],
      });
      expect(decision.kind === 'routed' && decision.overseer.reason).toBe(
        'Oversees the case because the concern involves the monitoring officer.',
      );
    });

    it('brings in the deputy when the tenant marks the deputy independent', () => {
      expect(
        summary(
          route('conflicts_of_interest', { involvedRoles: ['monitoring_officer'], deputyIndependent: true }),
        ),
      ).toEqual({
        owners: ['hops:head_of_paid_service', 'dmo:deputy_monitoring_officer'],
        notify: [],
        overseer: 'hops:head_of_paid_service',
        applied: ['monitoring_officer'],
      });
    });

    it('falls back to the section 151 officer when there is no free head of paid service', () => {
      expect(
        summary(route('dishonesty', { involvedRoles: ['monitoring_officer'], recusedUserIds: ['hops'] })),
      ).toEqual({
        owners: ['s151:s151_officer'],
        notify: [],
        overseer: 's151:s151_officer',
        applied: ['monitoring_officer'],
      });
    });

    it('applies the route when the monitoring officer is named personally rather than by role', () => {
      expect(summary(route('dishonesty', { involvedUserIds: ['mo'] }))).toMatchObject({
        overseer: 'hops:head_of_paid_service',
        applied: ['monitoring_officer'],
      });
    });

    it('tells the head of paid service, not the monitoring officer, about a safeguarding concern', () => {
      expect(summary(route('safeguarding_children', { involvedRoles: ['monitoring_officer'] }))).toEqual({
        owners: ['sg:safeguarding_lead'],
        notify: ['hops:head_of_paid_service'],
        overseer: 'hops:head_of_paid_service',
        applied: ['monitoring_officer'],
      });
    });
  });

  it('sends a concern about the head of paid service to the monitoring officer with the section 151 officer, telling the audit committee chair', () => {
    expect(summary(route('retaliation', { involvedRoles: ['head_of_paid_service'] }))).toEqual({
      owners: ['mo:monitoring_officer', 's151:s151_officer'],
      notify: ['chair:audit_committee_chair'],
      overseer: 'mo:monitoring_officer',
      applied: ['head_of_paid_service'],
    });
  });

  it('sends a concern about the section 151 officer to the monitoring officer and the head of paid service', () => {
    expect(summary(route('fraud_theft', { involvedRoles: ['s151_officer'] }))).toEqual({
      owners: ['mo:monitoring_officer', 'hops:head_of_paid_service'],
      notify: [],
      overseer: 'mo:monitoring_officer',
      applied: ['s151_officer'],
    });
  });

  it('combines routes when the monitoring officer and the head of paid service are both involved', () => {
    expect(
      summary(route('bribery_corruption', { involvedRoles: ['monitoring_officer', 'head_of_paid_service'] })),
    ).toEqual({
      owners: ['s151:s151_officer'],
      notify: ['chair:audit_committee_chair'],
      overseer: 's151:s151_officer',
      applied: ['monitoring_officer', 'head_of_paid_service'],
    });
  });

  it('excludes a person holding several roles if any one of them is involved', () => {
    const holders: RoleHolder[] = [
      { userId: 'mo', roles: ['monitoring_officer', 'safeguarding_lead'] },
      { userId: 'hops', roles: ['head_of_paid_service'] },
    ];
    expect(
      summary(route('safeguarding_children', { roleHolders: holders, involvedRoles: ['safeguarding_lead'] })),
    ).toEqual({
      owners: ['hops:head_of_paid_service'],
      notify: [],
      overseer: 'hops:head_of_paid_service',
      applied: [],
    });
  });

  it('hands oversight to the deputy when the monitoring officer has recused themselves', () => {
    expect(summary(route('gifts_hospitality', { recusedUserIds: ['mo'] }))).toEqual({
      owners: ['dmo:deputy_monitoring_officer'],
      notify: [],
      overseer: 'dmo:deputy_monitoring_officer',
      applied: [],
    });
  });

  it('says so when nobody who could oversee the case is free of the conflict', () => {
    const decision = route('fraud_theft', {
      involvedRoles: ['monitoring_officer', 'head_of_paid_service', 's151_officer'],
    });
    expect(decision).toEqual({
      kind: 'no_eligible_recipient',
      reason:
        'No one can oversee this case: the head of paid service, section 151 officer, monitoring officer and ' +
        'deputy monitoring officer are each involved in the concern, recused or not set up. It needs routing ' +
        'outside the council, for example to the external auditor.',
    });
    expect(
      routeCase({
        category: 'other',
        involvedRoles: [],
        involvedUserIds: [],
        recusedUserIds: [],
        roleHolders: [],
      }).kind,
    ).toBe('no_eligible_recipient');
  });

  it('follows a tenant’s own conflict routes instead of the defaults', () => {
    const routes: ConflictRoutes = {
      ...DEFAULT_CONFLICT_ROUTES,
      monitoring_officer: {
        leads: ['s151_officer'],
        owners: ['investigator'],
        notify: ['audit_committee_chair'],
        excludedWithSubject: [],
      },
    };
    expect(
      summary(route('dishonesty', { involvedRoles: ['monitoring_officer'], conflictRoutes: routes })),
    ).toEqual({
      owners: ['s151:s151_officer', 'inv:investigator'],
      notify: ['chair:audit_committee_chair'],
      overseer: 's151:s151_officer',
      applied: ['monitoring_officer'],
    });
  });

  it('never tells an administrator, and never makes a non-handler an owner, whatever a tenant route says', () => {
    const routes: ConflictRoutes = {
      monitoring_officer: {
        leads: ['administrator', 'audit_committee_chair', 'head_of_paid_service'],
        owners: ['administrator', 'audit_committee_chair'],
        notify: ['administrator'],
        excludedWithSubject: [],
      },
    };
    expect(
      summary(route('other', { involvedRoles: ['monitoring_officer'], conflictRoutes: routes })),
    ).toEqual({
      owners: ['hops:head_of_paid_service'],
      notify: [],
      overseer: 'hops:head_of_paid_service',
      applied: ['monitoring_officer'],
    });
  });

  it('refuses an unknown category', () => {
    expect(() => route('nonsense' as CategoryId)).toThrow(RangeError);
  });
});

// ---- Properties over random tenants ------------------------------------------------------------------

const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];

const routeArb: fc.Arbitrary<ConflictRoute> = fc.record({
  leads: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 3 }),
  owners: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 3 }),
  notify: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 3 }),
  excludedWithSubject: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 2 }),
});
const routesArb: fc.Arbitrary<ConflictRoutes | undefined> = fc.option(
  fc.dictionary(fc.constantFrom(...STAFF_ROLES), routeArb, { maxKeys: 4 }) as fc.Arbitrary<ConflictRoutes>,
  { nil: undefined },
);

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
  conflictRoutes: routesArb,
  deputyIndependent: fc.option(fc.boolean(), { nil: undefined }),
  unavailableUserIds: fc.option(fc.shuffledSubarray([...USERS], { maxLength: 2 }), { nil: undefined }),
});

/** Everything a person holds, over all of their entries. */
function rolesOf(input: RoutingInput, userId: string): Set<StaffRole> {
  return new Set(input.roleHolders.filter((h) => h.userId === userId).flatMap((h) => h.roles));
}

/** The brief's exclusion rule, stated independently: involved roles, involved people, recused people. */
function isPlainlyExcluded(input: RoutingInput, userId: string): boolean {
  return (
    input.involvedUserIds.includes(userId) ||
    input.recusedUserIds.includes(userId) ||
    (input.unavailableUserIds ?? []).includes(userId) ||
    [...rolesOf(input, userId)].some((role) => input.involvedRoles.includes(role))
  );
}

/** The subject roles and the conflict routes that follow from them. */
function appliedRoutes(input: RoutingInput): ConflictRoute[] {
  const routes = input.conflictRoutes ?? DEFAULT_CONFLICT_ROUTES;
  const subjects = new Set<StaffRole>([
    ...input.involvedRoles,
    ...input.involvedUserIds.flatMap((u) => [...rolesOf(input, u)]),
  ]);
  return STAFF_ROLES.filter((r) => subjects.has(r)).flatMap((r) =>
    routes[r] ? [routes[r] as ConflictRoute] : [],
  );
}

/** Plain exclusion plus the roles excluded with a subject (the deputy, unless independent). */
function isExcluded(input: RoutingInput, userId: string): boolean {
  const withSubject = appliedRoutes(input)
    .flatMap((r) => r.excludedWithSubject)
    .filter((role) => !(role === 'deputy_monitoring_officer' && input.deputyIndependent === true));
  return (
    isPlainlyExcluded(input, userId) || [...rolesOf(input, userId)].some((role) => withSubject.includes(role))
  );
}

function recipients(decision: RoutingDecision): Recipient[] {
  return decision.kind === 'routed' ? [...decision.owners, ...decision.notify, decision.overseer] : [];
}

describe('routing, properties', () => {
  it('never returns an excluded person', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const recipient of recipients(routeCase(input))) {
          expect(isPlainlyExcluded(input, recipient.userId)).toBe(false);
          expect(isExcluded(input, recipient.userId)).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never returns a deputy who reports to a monitoring officer the concern involves', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const aboutMo = {
          ...input,
          involvedRoles: ['monitoring_officer' as const],
          conflictRoutes: undefined,
          deputyIndependent: false,
        };
        for (const recipient of recipients(routeCase(aboutMo))) {
          expect(rolesOf(aboutMo, recipient.userId).has('deputy_monitoring_officer')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('returns no_eligible_recipient only when every candidate is excluded', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const candidateRoles = new Set<StaffRole>([
          ...OVERSIGHT_ROLES,
          ...appliedRoutes(input).flatMap((r) => r.leads.filter((role) => HANDLER_ROLES.includes(role))),
        ]);
        const candidates = [...new Set(input.roleHolders.map((h) => h.userId))].filter((u) =>
          [...rolesOf(input, u)].some((role) => candidateRoles.has(role)),
        );
        const everyoneExcluded = candidates.every((u) => isExcluded(input, u));
        const decision = routeCase(input);
        expect(decision.kind === 'no_eligible_recipient').toBe(everyoneExcluded);
        if (decision.kind === 'no_eligible_recipient')
          expect(decision.reason).toMatch(/^No one can oversee this case: /);
      }),
      { numRuns: 1000 },
    );
  });

  it('is deterministic, whatever order the lists come in', () => {
    const pairArb = inputArb.chain((input) =>
      fc
        .tuple(
          fc.shuffledSubarray([...input.roleHolders], {
            minLength: input.roleHolders.length,
            maxLength: input.roleHolders.length,
          }),
          fc.shuffledSubarray([...input.involvedRoles], {
            minLength: input.involvedRoles.length,
            maxLength: input.involvedRoles.length,
          }),
          fc.shuffledSubarray([...input.recusedUserIds], {
            minLength: input.recusedUserIds.length,
            maxLength: input.recusedUserIds.length,
          }),
        )
        .map(
          ([roleHolders, involvedRoles, recusedUserIds]) =>
            [input, { ...input, roleHolders, involvedRoles, recusedUserIds }] as const,
        ),
    );
    fc.assert(
      fc.property(pairArb, ([input, reordered]) => {
        const first = routeCase(input);
        expect(routeCase(input)).toEqual(first);
        expect(routeCase(reordered)).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('no duplicate recipients', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = routeCase(input);
        if (decision.kind !== 'routed') return;
        const ids = [...decision.owners, ...decision.notify].map((r) => r.userId);
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('should always give a routed case an owner who handles cases, and an overseer among those it reaches', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = routeCase(input);
        if (decision.kind !== 'routed') return;
        expect(decision.owners.length).toBeGreaterThan(0);
        for (const owner of decision.owners) expect(HANDLER_ROLES).toContain(owner.role);
        expect(
          OVERSIGHT_ROLES.includes(decision.overseer.role) || HANDLER_ROLES.includes(decision.overseer.role),
        ).toBe(true);
        expect([...decision.owners, ...decision.notify].map((r) => r.userId)).toContain(
          decision.overseer.userId,
        );
        for (const recipient of recipients(decision)) {
          expect(rolesOf(input, recipient.userId).has(recipient.role)).toBe(true);
          expect(recipient.role).not.toBe('administrator');
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('a deactivated account', () => {
  it('never receives a case, while a concern naming them by id still follows their conflict route', () => {
    // The monitoring officer's account is deactivated: new cases go to the next oversight role…
    expect(summary(route('gifts_hospitality', { unavailableUserIds: ['mo'] }))).toMatchObject({
      owners: ['dmo:deputy_monitoring_officer'],
      overseer: 'dmo:deputy_monitoring_officer',
    });
    // …but a concern naming them by id is still about the monitoring officer: the deputy stays out.
    expect(
      summary(route('gifts_hospitality', { unavailableUserIds: ['mo'], involvedUserIds: ['mo'] })),
    ).toEqual({
      owners: ['hops:head_of_paid_service'],
      notify: [],
      overseer: 'hops:head_of_paid_service',
      applied: ['monitoring_officer'],
    });
  });
});

describe("validating a tenant's conflict routes", () => {
  /** The defaults as plain, editable JSON, as the administrators' page sends them. */
  const editable = (): Record<string, Record<string, string[]>> =>
    JSON.parse(JSON.stringify(DEFAULT_CONFLICT_ROUTES));
  const errorsOf = (value: unknown): readonly string[] => {
    const result = validateConflictRoutes(value);
    return result.ok ? [] : result.errors;
  };

  it('accepts the defaults and gives them back equal and frozen', () => {
    const result = validateConflictRoutes(editable());
    expect(result).toEqual({ ok: true, value: DEFAULT_CONFLICT_ROUTES });
    if (result.ok) {
      expect(Object.isFrozen(result.value)).toBe(true);
      expect(Object.isFrozen(result.value.monitoring_officer?.leads)).toBe(true);
    }
  });

  it('refuses a route that sends a concern to the person it is about, in any list', () => {
    const routes = editable();
    routes['s151_officer']!['owners'] = ['head_of_paid_service', 's151_officer'];
    routes['head_of_paid_service']!['notify'] = ['head_of_paid_service'];
    expect(errorsOf(routes)).toEqual([
      'routes.head_of_paid_service.notify: a concern about the head of paid service must never be sent to the head of paid service.',
      'routes.s151_officer.owners: a concern about the section 151 officer must never be sent to the section 151 officer.',
    ]);
    const lead = editable();
    lead['monitoring_officer']!['leads'] = ['monitoring_officer', 'head_of_paid_service'];
    expect(errorsOf(lead)).toContain(
      'routes.monitoring_officer.leads: a concern about the monitoring officer must never be sent to the monitoring officer.',
    );
  });

  it('refuses a route without a lead, or whose only leads are excluded with the subject', () => {
    const none = editable();
    none['s151_officer']!['leads'] = [];
    expect(errorsOf(none)).toEqual([
      'routes.s151_officer.leads: a route must have a lead, who oversees the case instead.',
    ]);
    const excluded = editable();
    excluded['head_of_paid_service'] = {
      leads: ['s151_officer'],
      owners: [],
      notify: [],
      excludedWithSubject: ['s151_officer'],
    };
    expect(errorsOf(excluded)).toEqual([
      'routes.head_of_paid_service.leads: s151_officer is excluded along with the head of paid service, so it cannot also be in leads.',
      'routes.head_of_paid_service.leads: at least one lead must be free of the head of paid service (not excluded along with them, and not only the deputy monitoring officer, who may act only when marked independent).',
    ]);
    const deputyOnly = editable();
    deputyOnly['monitoring_officer']!['leads'] = ['deputy_monitoring_officer'];
    expect(errorsOf(deputyOnly)).toHaveLength(1);
    // The subject is never free of themselves: a route led by them alone has no lead left.
    const selfOnly = editable();
    selfOnly['s151_officer']!['leads'] = ['s151_officer'];
    expect(errorsOf(selfOnly)).toEqual([
      'routes.s151_officer.leads: a concern about the section 151 officer must never be sent to the section 151 officer.',
      'routes.s151_officer.leads: at least one lead must be free of the section 151 officer (not excluded along with them, and not only the deputy monitoring officer, who may act only when marked independent).',
    ]);
  });

  it('refuses leads that cannot oversee, owners that never handle and administrators told', () => {
    const routes = editable();
    routes['s151_officer'] = {
      leads: ['investigator', 'monitoring_officer'],
      owners: ['audit_committee_chair', 'administrator'],
      notify: ['administrator'],
      excludedWithSubject: [],
    };
    expect(errorsOf(routes)).toEqual([
      'routes.s151_officer.leads: investigator cannot oversee a case; leads must be among monitoring_officer, deputy_monitoring_officer, head_of_paid_service, s151_officer.',
      'routes.s151_officer.owners: audit_committee_chair never handles a case; owners must be among monitoring_officer, deputy_monitoring_officer, investigator, s151_officer, safeguarding_lead, head_of_paid_service.',
      'routes.s151_officer.owners: administrator never handles a case; owners must be among monitoring_officer, deputy_monitoring_officer, investigator, s151_officer, safeguarding_lead, head_of_paid_service.',
      'routes.s151_officer.notify: administrators are never told a case exists.',
    ]);
  });

  it('keeps the deputy out of a concern about the monitoring officer unless the tenant says otherwise', () => {
    const routes = editable();
    routes['monitoring_officer']!['excludedWithSubject'] = [];
    expect(errorsOf(routes)).toEqual([
      'routes.monitoring_officer.excludedWithSubject must include deputy_monitoring_officer: whether the deputy may act on a concern about the monitoring officer is the deputyIndependent setting.',
    ]);
  });

  it('requires a route for each statutory officer', () => {
    const routes = editable();
    delete routes['head_of_paid_service'];
    expect(REQUIRED_CONFLICT_ROUTES).toEqual(['monitoring_officer', 'head_of_paid_service', 's151_officer']);
    expect(errorsOf(routes)).toEqual([
      'routes.head_of_paid_service: a route is required for a concern about the head of paid service (regulatory.md §3); change where it goes rather than removing it.',
    ]);
  });

  it('names every malformed part at once: unknown roles, fields, repeats and shapes', () => {
    expect(errorsOf(null)).toEqual(['routes must be an object keyed by the role the concern is about.']);
    expect(errorsOf([])).toEqual(['routes must be an object keyed by the role the concern is about.']);
    const routes: Record<string, unknown> = editable();
    routes['chief_constable'] = {
      leads: ['monitoring_officer'],
      owners: [],
      notify: [],
      excludedWithSubject: [],
    };
    routes['administrator'] = {
      leads: ['monitoring_officer'],
      owners: [],
      notify: [],
      excludedWithSubject: [],
    };
    routes['safeguarding_lead'] = 'the monitoring officer';
    routes['investigator'] = {
      leads: ['monitoring_officer', 'monitoring_officer', 'mayor'],
      owners: 'all',
      colour: 'red',
    };
    expect(errorsOf(routes)).toEqual([
      'routes.chief_constable: "chief_constable" is not a staff role; roles: administrator, monitoring_officer, deputy_monitoring_officer, investigator, s151_officer, safeguarding_lead, head_of_paid_service, audit_committee_chair.',
      'routes.administrator: administrators never receive a case, so a concern about one needs no route.',
      'routes.safeguarding_lead must be an object with leads, owners, notify and excludedWithSubject.',
      'routes.investigator.colour is not a route field; fields: leads, owners, notify, excludedWithSubject.',
      'routes.investigator.leads: monitoring_officer is listed twice.',
      'routes.investigator.leads: "mayor" is not a staff role.',
      'routes.investigator.owners must be a list of roles (it may be empty).',
      'routes.investigator.notify must be a list of roles (it may be empty).',
      'routes.investigator.excludedWithSubject must be a list of roles (it may be empty).',
    ]);
  });

  /** Routes a page could send: plausible lists for each statutory officer, many of them invalid. */
  /**
   * Routes a page could send: plausible lists for each statutory officer (never naming the subject, and
   * excluding the deputy with the monitoring officer, else almost none would pass), many still invalid.
   */
  const candidateArb = fc.record(
    Object.fromEntries(
      REQUIRED_CONFLICT_ROUTES.map((subject) => [
        subject,
        fc
          .record({
            leads: fc.shuffledSubarray([...OVERSIGHT_ROLES], { minLength: 1, maxLength: 3 }),
            owners: fc.shuffledSubarray([...HANDLER_ROLES], { maxLength: 2 }),
            notify: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 2 }),
            excludedWithSubject: fc.shuffledSubarray([...STAFF_ROLES], { maxLength: 2 }),
          })
          .map((route) => {
            const without = (roles: StaffRole[]) => roles.filter((r) => r !== subject);
            return {
              leads: without(route.leads),
              owners: without(route.owners),
              notify: without(route.notify),
              excludedWithSubject:
                subject === 'monitoring_officer'
                  ? [...new Set([...route.excludedWithSubject, 'deputy_monitoring_officer' as const])]
                  : route.excludedWithSubject,
            };
          }),
      ]),
    ),
  );
  let accepted = 0;
  afterAll(() => expect(accepted).toBeGreaterThan(20)); // the property is not vacuous

  it('should never accept routes under which routeCase sends a concern to a holder of the role it is about', () => {
    fc.assert(
      fc.property(
        candidateArb,
        inputArb,
        fc.constantFrom(...REQUIRED_CONFLICT_ROUTES),
        (routes, input, subject) => {
          const result = validateConflictRoutes(routes);
          if (!result.ok) return;
          accepted += 1;
          const decision = routeCase({ ...input, involvedRoles: [subject], conflictRoutes: result.value });
          for (const recipient of recipients(decision))
            expect(rolesOf(input, recipient.userId).has(subject)).toBe(false);
          // …and for the monitoring officer, the deputy only when the tenant marks them independent.
          if (subject === 'monitoring_officer' && input.deputyIndependent !== true)
            for (const recipient of recipients(decision))
              expect(rolesOf(input, recipient.userId).has('deputy_monitoring_officer')).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('routeCase: the lead holder of a role is chosen by people (issue #15)', () => {
  const twoMos: RoleHolder[] = [
    { userId: 'aaa-shadow', roles: ['monitoring_officer'] },
    { userId: 'zzz-real', roles: ['monitoring_officer'] },
    { userId: 'inv', roles: ['investigator'] },
  ];
  const overseerOf = (overrides: Partial<RoutingInput>): string => {
    const decision = route('conflicts_of_interest', { roleHolders: twoMos, ...overrides });
    if (decision.kind !== 'routed') throw new Error('not routed');
    return decision.overseer.userId;
  };

  it('gives the case to the designated lead, whatever their id', () => {
    expect(overseerOf({ leads: { monitoring_officer: 'zzz-real' } })).toBe('zzz-real');
  });

  it('without a lead, takes the holder confirmed first and says so', () => {
    const decision = route('conflicts_of_interest', {
      roleHolders: twoMos,
      confirmedAt: { 'zzz-real': '2025-01-01T00:00:00.000Z', 'aaa-shadow': '2026-01-01T00:00:00.000Z' },
    });
    expect(decision).toMatchObject({ kind: 'routed', overseer: { userId: 'zzz-real' } });
    expect(decision.kind === 'routed' && decision.warnings).toEqual([
      expect.stringMatching(
        /^2 people hold the monitoring officer role and none of them is its designated lead/,
      ),
    ]);
  });

  it('passes over a lead who is excluded, to the other holder, without a warning when only one is left', () => {
    const decision = route('conflicts_of_interest', {
      roleHolders: twoMos,
      leads: { monitoring_officer: 'zzz-real' },
      recusedUserIds: ['zzz-real'],
    });
    expect(decision).toMatchObject({ kind: 'routed', overseer: { userId: 'aaa-shadow' }, warnings: [] });
  });

  it('warns of nothing when a role has one holder', () => {
    expect(route('conflicts_of_interest')).toMatchObject({ kind: 'routed', warnings: [] });
  });
});
