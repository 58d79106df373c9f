/**
 * The retention pages' shaping. A council changes how long a closed case is kept per category and
 * outcome; the API keeps its overrides keyed `category` or `category:outcome` (the more specific wins)
 * and PUT /admin/retention replaces the whole set. So saving one category sends every other category's
 * overrides unchanged, and for this category one `category:outcome` override for each outcome whose
 * period differs from the default (none at all when every outcome is back on its default). The API
 * (libs/domain validateRetentionPolicy) checks the periods again: a whole number of years, 1 to 100.
 */
import type {
  RetentionEntry,
  RetentionOutcome,
  RetentionOverrides,
  RetentionSetting,
} from '../api/admin-api';
import type { FormErrors } from '../staff/form-errors';
import { type Form, placeMessages } from './admin-forms';

export const MIN_YEARS = 1;
export const MAX_YEARS = 100;

export const yearsId = (outcome: string) => `years-${outcome}`;
export const endOfYearId = (outcome: string) => `endOfYear-${outcome}`;

/** "Kept for 6 years after closure" or "Kept until the end of the calendar year 6 years after closure". */
export function periodText(setting: RetentionSetting): string {
  const years = `${setting.years} year${setting.years === 1 ? '' : 's'}`;
  return setting.untilEndOfYear
    ? `Until the end of the calendar year ${years} after closure`
    : `${years.charAt(0).toUpperCase()}${years.slice(1)} after closure`;
}

/** What the edit form shows per outcome: the years as typed and the box. */
export type RetentionFormValues = Record<string, { years: string; untilEndOfYear: boolean }>;

export function retentionFormValues(outcomes: readonly RetentionOutcome[]): RetentionFormValues {
  return Object.fromEntries(
    outcomes.map((o) => [o.outcome, { years: String(o.years), untilEndOfYear: o.untilEndOfYear }]),
  );
}

/** The periods from the form, one per outcome, with a problem for each years field that is not 1 to 100. */
export function retentionFromForm(
  form: Form,
  outcomes: readonly RetentionOutcome[],
): {
  settings: Record<string, RetentionSetting>;
  values: RetentionFormValues;
  problems: { id: string; text: string }[];
} {
  const settings: Record<string, RetentionSetting> = {};
  const values: RetentionFormValues = {};
  const problems: { id: string; text: string }[] = [];
  for (const o of outcomes) {
    const raw = form[yearsId(o.outcome)];
    const years = typeof raw === 'string' ? raw.trim() : '';
    const box = form[endOfYearId(o.outcome)];
    const untilEndOfYear = box === 'yes' || (Array.isArray(box) && box.includes('yes'));
    values[o.outcome] = { years, untilEndOfYear };
    const label = o.label.toLowerCase();
    if (!years)
      problems.push({ id: yearsId(o.outcome), text: `Enter how many years to keep ${label} cases` });
    else if (!/^\d{1,3}$/.test(years) || Number(years) < MIN_YEARS || Number(years) > MAX_YEARS)
      problems.push({
        id: yearsId(o.outcome),
        text: `The years for ${label} cases must be a whole number from ${MIN_YEARS} to ${MAX_YEARS}`,
      });
    else settings[o.outcome] = { years: Number(years), untilEndOfYear };
  }
  return { settings, values, problems };
}

function ofCategory(key: string, category: string): boolean {
  return key === category || key.startsWith(`${category}:`);
}

/** The council's overrides without any for `category`: "restore the defaults" for that category. */
export function overridesWithout(existing: RetentionOverrides, category: string): RetentionOverrides {
  return Object.fromEntries(Object.entries(existing).filter(([key]) => !ofCategory(key, category)));
}

/**
 * The whole set to send after editing `category`: the other categories' overrides as they are, and a
 * `category:outcome` override for each outcome that now differs from its default.
 */
export function overridesWith(
  existing: RetentionOverrides,
  category: string,
  outcomes: readonly RetentionOutcome[],
  settings: Record<string, RetentionSetting>,
): RetentionOverrides {
  const next = overridesWithout(existing, category);
  for (const o of outcomes) {
    const s = settings[o.outcome];
    if (s && (s.years !== o.defaultYears || s.untilEndOfYear !== o.defaultUntilEndOfYear))
      next[`${category}:${o.outcome}`] = { years: s.years, untilEndOfYear: s.untilEndOfYear };
  }
  return next;
}

/** The API's messages on the edit form: `overrides.<category>:<outcome>…` goes to that outcome's fields. */
export function retentionErrors(
  messages: readonly string[],
  category: string,
  outcomes: readonly RetentionOutcome[],
): FormErrors {
  const fields = outcomes.flatMap((o) => {
    const at = `overrides.${category}:${o.outcome}`;
    return [
      {
        id: yearsId(o.outcome),
        paths: [
          { path: `${at}.years`, label: `${o.label}: years` },
          { path: at, label: o.label },
        ],
      },
      {
        id: endOfYearId(o.outcome),
        paths: [{ path: `${at}.untilEndOfYear`, label: `${o.label}: until the end of the year` }],
      },
    ];
  });
  fields.push({
    id: yearsId(outcomes[0]?.outcome ?? ''),
    paths: [{ path: `overrides.${category}`, label: 'This category' }],
  });
  return placeMessages(messages, fields, yearsId(outcomes[0]?.outcome ?? ''));
}

/** One category's periods for the overview table: the API's rules (outcomes with the same period together). */
export function retentionGroups(
  entry: RetentionEntry,
): { outcomes: string; period: string; changed: boolean }[] {
  return entry.rules.map((r) => ({
    outcomes: r.outcomeLabels.join(', '),
    period: periodText(r),
    changed: r.overridden,
  }));
}
