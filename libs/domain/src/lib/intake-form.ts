// The intake form: the questions a reporter answers, and the one validator that the API (and any other
// client) applies to a submission. Issue #5 "Form definition": what happened, when, where, who is
// involved, how they know, whether it was raised before, evidence; a few questions that only some
// categories need; "does this involve any of these people?"; and the optional identity section.
// Pure data and checks, so the API, the portal and the OpenAPI schema all read the same definition.

import { CATEGORY_IDS, type CategoryId, isCategoryId } from './categories';
import { ROLE_HOLDER_ROLES, type StaffRole } from './roles';

export interface ChoiceOption {
  readonly value: string;
  readonly label: string;
}

export interface Question {
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly type: 'text' | 'textarea' | 'choice';
  readonly required: boolean;
  readonly maxLength?: number;
  readonly options?: readonly ChoiceOption[];
  /** Asked only for these categories; every category when absent. */
  readonly categories?: readonly CategoryId[];
}

const yesNoDontKnow: readonly ChoiceOption[] = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'dont_know', label: 'I do not know' },
];

export const INTAKE_QUESTIONS: readonly Question[] = Object.freeze([
  {
    id: 'whatHappened',
    label: 'What happened?',
    hint: 'Tell us in your own words. Include what you saw or heard, and why you think it is wrong. You do not need proof.',
    type: 'textarea',
    required: true,
    maxLength: 20000,
  },
  {
    id: 'when',
    label: 'When did it happen?',
    hint: 'An exact date, a rough time such as "last spring", or "it is still happening".',
    type: 'text',
    required: false,
    maxLength: 200,
  },
  {
    id: 'where',
    label: 'Where did it happen?',
    hint: 'For example, a building, a team or a meeting.',
    type: 'text',
    required: false,
    maxLength: 500,
  },
  {
    id: 'whoIsInvolved',
    label: 'Who is involved?',
    hint: 'Names or job titles of the people you are concerned about, and anyone who saw what happened.',
    type: 'textarea',
    required: false,
    maxLength: 2000,
  },
  {
    id: 'howYouKnow',
    label: 'How do you know about it?',
    type: 'choice',
    required: true,
    options: [
      { value: 'saw_it', label: 'I saw or heard it myself' },
      { value: 'told', label: 'Someone told me' },
      { value: 'documents', label: 'I have seen documents or records' },
      { value: 'suspect', label: 'I suspect it, but I have not seen it' },
      { value: 'other', label: 'Another way' },
    ],
  },
  {
    id: 'raisedBefore',
    label: 'Have you raised this before?',
    type: 'choice',
    required: true,
    options: [
      { value: 'no', label: 'No' },
      { value: 'manager', label: 'Yes, with my manager' },
      { value: 'other', label: 'Yes, somewhere else' },
      { value: 'prefer_not_to_say', label: 'I would rather not say' },
    ],
  },
  {
    id: 'raisedBeforeDetails',
    label: 'What happened when you raised it?',
    type: 'textarea',
    required: false,
    maxLength: 2000,
  },
  {
    id: 'evidence',
    label: 'Is there any evidence, and where is it?',
    hint: 'For example, emails, invoices or records. You can upload files after this question.',
    type: 'textarea',
    required: false,
    maxLength: 2000,
  },
  {
    id: 'relationship',
    label: 'What is your connection to the council?',
    hint: 'This helps us understand your protection under whistleblowing law. It does not identify you.',
    type: 'choice',
    required: false,
    options: [
      { value: 'employee', label: 'I work for the council' },
      { value: 'former_employee', label: 'I used to work for the council' },
      { value: 'agency_worker', label: 'Agency or temporary worker' },
      { value: 'contractor', label: 'I work for a contractor or supplier' },
      { value: 'volunteer', label: 'Volunteer, trainee or apprentice' },
      { value: 'applicant', label: 'I applied for a job at the council' },
      { value: 'councillor', label: 'Councillor' },
      { value: 'member_of_public', label: 'Member of the public' },
      { value: 'other', label: 'Something else' },
    ],
  },
  {
    id: 'immediateDanger',
    label: 'Is anyone in immediate danger?',
    hint: 'If someone is in immediate danger, call 999 now.',
    type: 'choice',
    required: true,
    options: yesNoDontKnow,
    categories: ['safeguarding_children', 'safeguarding_adults'],
  },
  {
    id: 'amountInvolved',
    label: 'Roughly how much money is involved, if you know?',
    type: 'text',
    required: false,
    maxLength: 200,
    categories: ['fraud_theft', 'bribery_corruption', 'misuse_of_public_funds'],
  },
  {
    id: 'giftValue',
    label: 'What was the gift or hospitality, and roughly what was it worth?',
    type: 'text',
    required: false,
    maxLength: 500,
    categories: ['gifts_hospitality'],
  },
  {
    id: 'giftFromSupplier',
    label: 'Did it come from a supplier, a contractor or someone wanting a decision from the council?',
    type: 'choice',
    required: false,
    options: yesNoDontKnow,
    categories: ['gifts_hospitality'],
  },
  {
    id: 'personalData',
    label: "Does it involve people's personal information?",
    hint: 'For example, records about residents or staff.',
    type: 'choice',
    required: false,
    options: yesNoDontKnow,
    categories: ['confidential_information'],
  },
] satisfies Question[]);

/** The optional identity section: given only if the reporter chooses to. */
export const IDENTITY_FIELDS: readonly Question[] = Object.freeze([
  { id: 'name', label: 'Your name', type: 'text', required: false, maxLength: 200 },
  { id: 'jobTitle', label: 'Your job title or team', type: 'text', required: false, maxLength: 200 },
  {
    id: 'contact',
    label: 'How we can contact you',
    hint: 'A personal email address or phone number. Do not give a work address if you are worried your employer reads it.',
    type: 'text',
    required: false,
    maxLength: 500,
  },
  {
    // Open rather than confidential (docs/dashboard.md "Reports by mode"): asked with the details,
    // never required; without a "yes" an identified report stays confidential.
    id: 'named',
    label: 'May we say that you raised this concern?',
    hint: 'Only if you want us to. Otherwise only the person looking after your concern will know who you are.',
    type: 'choice',
    required: false,
    options: [
      {
        value: 'yes',
        label:
          'Yes: you may tell the people handling this concern and the people it concerns that I raised it',
      },
      { value: 'no', label: 'No: keep who I am confidential' },
    ],
  },
] satisfies Question[]);

/** How a report was made: without an identity, with one kept confidential, or openly. */
export const REPORT_MODES = ['anonymous', 'confidential', 'open'] as const;
export type ReportMode = (typeof REPORT_MODES)[number];

/**
 * A report's mode from its identity answers: anonymous when it gives nothing that says who the reporter
 * is (a "yes" to being named alone names no one), open when it does and says yes to `named`, else
 * confidential (the default when an identity is given).
 */
export function reportMode(identity: Readonly<Record<string, string>> | null | undefined): ReportMode {
  const identifying = IDENTITY_FIELDS.some(
    (q) => q.id !== 'named' && typeof identity?.[q.id] === 'string' && identity[q.id]!.trim() !== '',
  );
  if (!identifying) return 'anonymous';
  return identity?.['named'] === 'yes' ? 'open' : 'confidential';
}

export const ANONYMITY_STATEMENT =
  'You do not have to tell us who you are. If you do not, nobody – including the people who look into your concern – can find out from this service. ' +
  'If you do, only the person looking after your concern can see your details, and they will not share them without asking you first, unless the law requires it. ' +
  'You can add your details later if you change your mind.';

/** The questions asked for one category, in order. */
export function questionsFor(category: CategoryId): readonly Question[] {
  return INTAKE_QUESTIONS.filter((q) => !q.categories || q.categories.includes(category));
}

export interface Submission {
  readonly category: CategoryId;
  readonly answers: Readonly<Record<string, string>>;
  /** The statutory officers the reporter says the concern involves. */
  readonly involves: readonly StaffRole[];
  readonly identity: Readonly<Record<string, string>> | null;
}

export type SubmissionValidation =
  | { readonly ok: true; readonly value: Submission }
  | { readonly ok: false; readonly errors: readonly string[] };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkFields(
  prefix: string,
  questions: readonly Question[],
  given: Record<string, unknown>,
  errors: string[],
): Record<string, string> {
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) errors.push(`${prefix}.${key} is not a question in this form`);
  }
  const out: Record<string, string> = {};
  for (const q of questions) {
    const raw = given[q.id];
    const field = `${prefix}.${q.id}`;
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      if (q.required) errors.push(`${field} is required`);
      continue;
    }
    if (typeof raw !== 'string') {
      errors.push(`${field} must be text`);
      continue;
    }
    if (q.maxLength !== undefined && raw.length > q.maxLength) {
      errors.push(`${field} must be ${q.maxLength} characters or fewer`);
      continue;
    }
    if (q.type === 'choice' && !q.options?.some((o) => o.value === raw)) {
      errors.push(`${field} must be one of: ${q.options?.map((o) => o.value).join(', ')}`);
      continue;
    }
    out[q.id] = q.type === 'choice' ? raw : raw.trim();
  }
  return out;
}

/**
 * Checks a submission against the form. Returns every problem at once, each naming its field
 * (`answers.whatHappened is required`), so a client can show them all.
 */
export function validateSubmission(input: unknown): SubmissionValidation {
  const errors: string[] = [];
  if (!isRecord(input)) return { ok: false, errors: ['the submission must be a JSON object'] };
  const { category, answers, involves, identity } = input;
  if (!isCategoryId(category)) {
    errors.push(`category must be one of: ${CATEGORY_IDS.join(', ')}`);
  }
  let cleanAnswers: Record<string, string> = {};
  if (!isRecord(answers)) errors.push('answers must be an object of answers keyed by question id');
  else if (isCategoryId(category))
    cleanAnswers = checkFields('answers', questionsFor(category), answers, errors);

  let cleanInvolves: StaffRole[] = [];
  if (involves !== undefined && involves !== null) {
    if (!Array.isArray(involves)) errors.push('involves must be a list of roles');
    else {
      for (const role of involves) {
        if (!ROLE_HOLDER_ROLES.includes(role as StaffRole)) {
          errors.push(`involves may only contain: ${ROLE_HOLDER_ROLES.join(', ')}`);
          break;
        }
      }
      cleanInvolves = [...new Set(involves as StaffRole[])].filter((r) => ROLE_HOLDER_ROLES.includes(r));
    }
  }

  let cleanIdentity: Record<string, string> | null = null;
  if (identity !== undefined && identity !== null) {
    const checked = validateIdentity(identity);
    if (checked.ok) cleanIdentity = checked.value;
    else errors.push(...checked.errors);
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      category: category as CategoryId,
      answers: cleanAnswers,
      involves: cleanInvolves,
      identity: cleanIdentity,
    },
  };
}

/**
 * Checks the identity section on its own (given at submission, or added later): null when every field
 * is blank.
 */
export function validateIdentity(
  input: unknown,
):
  | { readonly ok: true; readonly value: Readonly<Record<string, string>> | null }
  | { readonly ok: false; readonly errors: readonly string[] } {
  if (!isRecord(input)) return { ok: false, errors: ['identity must be an object'] };
  const errors: string[] = [];
  const value = checkFields('identity', IDENTITY_FIELDS, input, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: Object.keys(value).length > 0 ? value : null };
}
