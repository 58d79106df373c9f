// Pins the list of categories and their default routes (docs/conventions.md §7, "Pin deliberate lists"): a
// new category must be given a route, a clock and principles before this passes, and a changed route is a
// deliberate, reviewed change to who reads reports (docs/architecture.md "Routing").
import {
  CATEGORIES,
  CATEGORY_IDS,
  NOLAN_PRINCIPLES,
  NOLAN_PRINCIPLE_DESCRIPTIONS,
  getCategory,
  isCategoryId,
  type CategoryId,
  type CategoryRoute,
  type SlaClock,
} from './categories';
import { HANDLER_ROLES } from './roles';

const EXPECTED: Record<CategoryId, { route: CategoryRoute; clock: SlaClock }> = {
  fraud_theft: { route: { owners: ['s151_officer', 'monitoring_officer'], notify: [] }, clock: 'standard' },
  bribery_corruption: {
    route: { owners: ['s151_officer', 'monitoring_officer'], notify: [] },
    clock: 'standard',
  },
  gifts_hospitality: { route: { owners: ['monitoring_officer'], notify: [] }, clock: 'standard' },
  conflicts_of_interest: { route: { owners: ['monitoring_officer'], notify: [] }, clock: 'standard' },
  confidential_information: { route: { owners: ['monitoring_officer'], notify: [] }, clock: 'standard' },
  bias_discrimination: { route: { owners: ['monitoring_officer'], notify: [] }, clock: 'standard' },
  bullying_harassment_coercion: { route: { owners: ['monitoring_officer'], notify: [] }, clock: 'standard' },
  political_neutrality: {
    route: { owners: ['monitoring_officer'], notify: ['head_of_paid_service'] },
    clock: 'standard',
  },
  appointments_procurement: {
    route: { owners: ['monitoring_officer'], notify: ['s151_officer'] },
    clock: 'standard',
  },
  misuse_of_public_funds: {
    route: { owners: ['s151_officer', 'monitoring_officer'], notify: [] },
    clock: 'standard',
  },
  dishonesty: { route: { owners: ['monitoring_officer'], notify: [] }, clock: 'standard' },
  retaliation: {
    route: { owners: ['monitoring_officer'], notify: ['head_of_paid_service'] },
    clock: 'standard',
  },
  safeguarding_children: {
    route: { owners: ['safeguarding_lead'], notify: ['monitoring_officer'] },
    clock: 'safeguarding',
  },
  safeguarding_adults: {
    route: { owners: ['safeguarding_lead'], notify: ['monitoring_officer'] },
    clock: 'safeguarding',
  },
  other: { route: { owners: ['monitoring_officer'], notify: [] }, clock: 'standard' },
};

describe('categories of concern', () => {
  it('covers every category exactly once with a route', () => {
    expect(CATEGORIES.map((c) => c.id)).toEqual([...CATEGORY_IDS]);
    expect(new Set(CATEGORY_IDS).size).toBe(CATEGORY_IDS.length);
    expect(Object.keys(EXPECTED).sort()).toEqual([...CATEGORY_IDS].sort());
    for (const category of CATEGORIES) {
      expect({ id: category.id, route: category.route, clock: category.clock }).toEqual({
        id: category.id,
        ...EXPECTED[category.id],
      });
    }
  });

  it('sends every category to the monitoring officer, as owner or to be told', () => {
    for (const { route } of CATEGORIES) {
      expect([...route.owners, ...route.notify]).toContain('monitoring_officer');
    }
  });

  it('sends fraud, bribery and misuse of public funds to the section 151 officer too', () => {
    for (const id of ['fraud_theft', 'bribery_corruption', 'misuse_of_public_funds'] as const) {
      expect(getCategory(id).route.owners).toEqual(
        expect.arrayContaining(['s151_officer', 'monitoring_officer']),
      );
    }
  });

  it('sends safeguarding to the safeguarding lead on the safeguarding clock, with the monitoring officer told', () => {
    const safeguarding = CATEGORIES.filter((c) => c.clock === 'safeguarding').map((c) => c.id);
    expect(safeguarding).toEqual(['safeguarding_children', 'safeguarding_adults']);
    for (const id of safeguarding) {
      expect(getCategory(id).route).toEqual({
        owners: ['safeguarding_lead'],
        notify: ['monitoring_officer'],
      });
    }
  });

  it('gives ownership only to roles that handle cases and never names a role twice in a route', () => {
    for (const { route } of CATEGORIES) {
      for (const role of route.owners) expect(HANDLER_ROLES).toContain(role);
      const all = [...route.owners, ...route.notify];
      expect(new Set(all).size).toBe(all.length);
    }
  });

  it('uses stable snake_case ids and plain titles and hints', () => {
    for (const category of CATEGORIES) {
      expect(category.id).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(category.title.length).toBeGreaterThan(0);
      expect(category.title.length).toBeLessThanOrEqual(60);
      expect(category.description).toMatch(/^[A-Z].*\.$/);
      expect(category.description.length).toBeLessThanOrEqual(300);
    }
    expect(new Set(CATEGORIES.map((c) => c.title)).size).toBe(CATEGORIES.length);
  });

  it('tags every category except "other" with at least one Nolan principle, each only once', () => {
    for (const category of CATEGORIES) {
      if (category.id !== 'other') expect(category.principles.length).toBeGreaterThan(0);
      for (const principle of category.principles) expect(NOLAN_PRINCIPLES).toContain(principle);
      expect(new Set(category.principles).size).toBe(category.principles.length);
    }
  });

  it('engages every Nolan principle somewhere and describes each one', () => {
    const used = new Set(CATEGORIES.flatMap((c) => c.principles));
    for (const principle of NOLAN_PRINCIPLES) {
      expect(used).toContain(principle);
      expect(NOLAN_PRINCIPLE_DESCRIPTIONS[principle]).toMatch(/^Holders of public office .*\.$/);
    }
  });

  it('cannot be changed at run time', () => {
    const fraud = getCategory('fraud_theft');
    expect(Object.isFrozen(CATEGORIES)).toBe(true);
    expect(Object.isFrozen(fraud.route.owners)).toBe(true);
  });

  it('recognises category ids and refuses unknown ones', () => {
    expect(isCategoryId('fraud_theft')).toBe(true);
    expect(isCategoryId('Fraud')).toBe(false);
    expect(() => getCategory('nope' as CategoryId)).toThrow('Unknown category "nope".');
  });
});
