// The categories of concern a reporter chooses from, mapped to the officers' code of conduct and the Seven
// Principles of Public Life, each with its default route. docs/architecture.md "Routing" (every code
// breach goes to the monitoring officer; fraud, bribery and corruption also to the section 151 officer;
// safeguarding to the safeguarding lead) and docs/regulatory.md §2 and CC-01 to CC-04.
//
// Routes name roles, not people: routing.ts turns them into people and applies the conflict rules.
// Descriptions are GOV.UK hint text for the intake form, written for a worried member of staff who may
// not know the code's vocabulary, and drawn from the codes in shared/seeds.

import type { StaffRole } from './roles';

/** The Seven Principles of Public Life (the Nolan principles), in their published order. */
export const NOLAN_PRINCIPLES = [
  'selflessness',
  'integrity',
  'objectivity',
  'accountability',
  'openness',
  'honesty',
  'leadership',
] as const;

export type NolanPrinciple = (typeof NOLAN_PRINCIPLES)[number];

/** Each principle in a sentence, as the Committee on Standards in Public Life states it (abridged). */
export const NOLAN_PRINCIPLE_DESCRIPTIONS: Readonly<Record<NolanPrinciple, string>> = Object.freeze({
  selflessness: 'Holders of public office should act solely in terms of the public interest.',
  integrity:
    'Holders of public office must avoid placing themselves under any obligation to people or organisations that might try inappropriately to influence them in their work.',
  objectivity:
    'Holders of public office must act and take decisions impartially, fairly and on merit, using the best evidence and without discrimination or bias.',
  accountability:
    'Holders of public office are accountable to the public for their decisions and actions and must submit themselves to the scrutiny necessary to ensure this.',
  openness: 'Holders of public office should act and take decisions in an open and transparent manner.',
  honesty: 'Holders of public office should be truthful.',
  leadership:
    'Holders of public office should exhibit these principles in their own behaviour and be willing to challenge poor behaviour wherever it occurs.',
});

/**
 * Which SLA clock a category runs. `safeguarding` adds the 1-working-day referral clock (docs/regulatory.md
 * UK-22), which runs in parallel with the standard acknowledgement and feedback clocks.
 */
export type SlaClock = 'standard' | 'safeguarding';

/** A default route, in roles: who handles the case and who must also be told. */
export interface CategoryRoute {
  /** Roles that handle the case, most responsible first. */
  readonly owners: readonly StaffRole[];
  /** Roles that must be told the case exists (never its content). */
  readonly notify: readonly StaffRole[];
}

export const CATEGORY_IDS = [
  'fraud_theft',
  'bribery_corruption',
  'gifts_hospitality',
  'conflicts_of_interest',
  'confidential_information',
  'bias_discrimination',
  'bullying_harassment_coercion',
  'political_neutrality',
  'appointments_procurement',
  'misuse_of_public_funds',
  'dishonesty',
  'retaliation',
  'safeguarding_children',
  'safeguarding_adults',
  'other',
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

export interface Category {
  /** Stable identifier, stored with each case: never rename one. */
  readonly id: CategoryId;
  /** Short title for the radio button on the intake form. */
  readonly title: string;
  /** Hint text under the title, for the reporter. */
  readonly description: string;
  /** The principles a breach in this category usually engages (for analytics; CC-01). */
  readonly principles: readonly NolanPrinciple[];
  readonly route: CategoryRoute;
  readonly clock: SlaClock;
}

const MO_ONLY: CategoryRoute = { owners: ['monitoring_officer'], notify: [] };
const FINANCIAL: CategoryRoute = { owners: ['s151_officer', 'monitoring_officer'], notify: [] };
const SAFEGUARDING: CategoryRoute = { owners: ['safeguarding_lead'], notify: ['monitoring_officer'] };

/** The categories, in the order the intake form shows them. */
export const CATEGORIES: readonly Category[] = deepFreeze([
  {
    id: 'fraud_theft',
    title: 'Fraud, theft or false claims',
    description:
      'For example, someone claiming expenses or overtime they did not work, taking money or equipment, or changing records to hide a loss.',
    principles: ['integrity', 'honesty', 'selflessness'],
    route: FINANCIAL,
    clock: 'standard',
  },
  {
    id: 'bribery_corruption',
    title: 'Bribery or corruption',
    description:
      'For example, someone offering or accepting money, favours or other rewards to influence a decision, such as who wins a contract.',
    principles: ['integrity', 'selflessness', 'objectivity'],
    route: FINANCIAL,
    clock: 'standard',
  },
  {
    id: 'gifts_hospitality',
    title: 'Gifts or hospitality',
    description:
      'For example, someone accepting gifts, meals or tickets from a supplier or applicant, or not declaring them as the council’s rules require.',
    principles: ['integrity', 'selflessness'],
    route: MO_ONLY,
    clock: 'standard',
  },
  {
    id: 'conflicts_of_interest',
    title: 'Conflicts of interest or outside work',
    description:
      'For example, someone making decisions that benefit themselves, their family or friends, not declaring an interest in a company the council deals with, or taking on outside work that clashes with their job.',
    principles: ['selflessness', 'integrity', 'openness'],
    route: MO_ONLY,
    clock: 'standard',
  },
  {
    id: 'confidential_information',
    title: 'Misuse of confidential information',
    description:
      'For example, someone looking at records they have no work reason to see, or passing personal or confidential information to people who should not have it.',
    principles: ['accountability', 'integrity'],
    route: MO_ONLY,
    clock: 'standard',
  },
  {
    id: 'bias_discrimination',
    title: 'Bias or discrimination',
    description:
      'For example, decisions about services, jobs or contracts that treat people unfairly because of who they are rather than on the evidence.',
    principles: ['objectivity'],
    route: MO_ONLY,
    clock: 'standard',
  },
  {
    id: 'bullying_harassment_coercion',
    title: 'Bullying, harassment or pressure to break the rules',
    description:
      'For example, someone using their position to intimidate people, or pressuring staff to do something wrong. If this is only about how you have been treated at work, your HR grievance process may suit you better, but you can still tell us.',
    principles: ['leadership', 'integrity'],
    route: MO_ONLY,
    clock: 'standard',
  },
  {
    id: 'political_neutrality',
    title: 'Political bias in council work',
    description:
      'For example, someone using council time or resources for party politics, or someone in a politically restricted post campaigning for a party.',
    principles: ['objectivity', 'selflessness'],
    route: { owners: ['monitoring_officer'], notify: ['head_of_paid_service'] },
    clock: 'standard',
  },
  {
    id: 'appointments_procurement',
    title: 'Unfair appointments or contracts',
    description:
      'For example, someone hiring a relative or friend, or steering a contract to a company without following the council’s rules.',
    principles: ['objectivity', 'integrity', 'selflessness'],
    route: { owners: ['monitoring_officer'], notify: ['s151_officer'] },
    clock: 'standard',
  },
  {
    id: 'misuse_of_public_funds',
    title: 'Wasting or misusing public money',
    description:
      'For example, spending council money for a purpose it was not meant for, or on something that is plainly poor value, or ignoring the rules for spending it.',
    principles: ['selflessness', 'accountability'],
    route: FINANCIAL,
    clock: 'standard',
  },
  {
    id: 'dishonesty',
    title: 'Dishonesty or misleading people',
    description:
      'For example, someone knowingly giving false or misleading information to councillors, the public or colleagues, or covering up a mistake.',
    principles: ['honesty', 'openness'],
    route: MO_ONLY,
    clock: 'standard',
  },
  {
    id: 'retaliation',
    title: 'Being treated badly for speaking up',
    description:
      'For example, being disciplined, moved, left out or threatened because you, or someone else, raised a concern.',
    principles: ['leadership', 'integrity'],
    route: { owners: ['monitoring_officer'], notify: ['head_of_paid_service'] },
    clock: 'standard',
  },
  {
    id: 'safeguarding_children',
    title: 'A child at risk from someone who works with children',
    description:
      'For example, a member of staff or volunteer who has harmed a child or may pose a risk to children. If a child is in immediate danger, call 999 now.',
    principles: ['selflessness', 'accountability'],
    route: SAFEGUARDING,
    clock: 'safeguarding',
  },
  {
    id: 'safeguarding_adults',
    title: 'An adult at risk of abuse or neglect',
    description:
      'For example, an adult who needs care and support being harmed, neglected or exploited by someone working for or with the council. If someone is in immediate danger, call 999 now.',
    principles: ['selflessness', 'accountability'],
    route: SAFEGUARDING,
    clock: 'safeguarding',
  },
  {
    id: 'other',
    title: 'Something else',
    description:
      'Anything else you think is wrong in how the council or its staff behave. You do not need to know which rule applies.',
    principles: [],
    route: MO_ONLY,
    clock: 'standard',
  },
] satisfies Category[]);

/** True when `value` is a category id (for checking untrusted input). */
export function isCategoryId(value: unknown): value is CategoryId {
  return typeof value === 'string' && (CATEGORY_IDS as readonly string[]).includes(value);
}

/**
 * The category with this id.
 * @throws RangeError for an unknown id: callers check untrusted input with `isCategoryId` first.
 */
export function getCategory(id: CategoryId): Category {
  const category = CATEGORIES.find((c) => c.id === id);
  if (!category) throw new RangeError(`Unknown category "${String(id)}".`);
  return category;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
