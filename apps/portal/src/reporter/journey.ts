/**
 * The reporter's journey as pure logic (issue #8): which pages a report has, in which order, what each
 * page asks, and how each page's answers are checked. Everything comes from the council's form as the
 * API gives it (GET /tenants/:slug/form), so a question added to the domain's form appears here without
 * a portal change; the portal only decides how questions are grouped into pages, GOV.UK style (one
 * thing per page).
 *
 * The unsent answers live only in the Draft, kept encrypted under a key that only the reporter's
 * browser holds (see draft-store.ts and docs/reporter-journey.md).
 */
import type { FormQuestion, IntakeForm, Submission } from '../api/reporter-api';

export interface Draft {
  readonly slug: string;
  readonly category?: string;
  readonly answers: Readonly<Record<string, string>>;
  /** Undefined until the page is answered; empty for "none of these". */
  readonly involves?: readonly string[];
  readonly identityChoice?: 'yes' | 'no';
  readonly identity: Readonly<Record<string, string>>;
  /** The files added on the evidence page (their bytes are kept apart, see draft-store.ts). */
  readonly files?: readonly DraftFile[];
  /** Set once the evidence page has been passed, with or without files (adding them is optional). */
  readonly filesDone?: boolean;
  /** Set by a Change button on the check page, so Continue goes back there. */
  readonly returnToCheck?: boolean;
}

/** A file waiting to be sent with the report: its name and size as the reporter chose it. */
export interface DraftFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
}

/**
 * Personal questions that offer "I would prefer not to say": an answer the portal keeps for the check
 * page but never sends (the API sees the question unanswered).
 */
export const PREFER_NOT_TO_SAY = 'prefer_not_to_say';
const OFFERS_PREFER_NOT_TO_SAY: ReadonlySet<string> = new Set(['relationship']);

export function offersPreferNotToSay(question: FormQuestion): boolean {
  return OFFERS_PREFER_NOT_TO_SAY.has(question.id) && question.type === 'choice' && !question.required;
}

export function emptyDraft(slug: string): Draft {
  return { slug, answers: {}, identity: {} };
}

export type StepKind =
  'concern' | 'questions' | 'involves' | 'identity' | 'identityDetails' | 'files' | 'check';

export interface Step {
  /** Stable, in the form's action: /report/:slug/answers/:key. */
  readonly key: string;
  readonly kind: StepKind;
  /** The page's heading (a lone question's own label). */
  readonly title: string;
  readonly questions: readonly FormQuestion[];
}

/** A problem with one field: `field` is the id of the input the error summary links to. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * Questions that share a page. Any question not named here has a page of its own, in the form's
 * order, so the domain can add questions freely.
 */
const SHARED_PAGES: readonly { readonly ids: readonly string[]; readonly title: string }[] = [
  { ids: ['when', 'where'], title: 'When and where did it happen?' },
];

/**
 * Pages asked only after a given answer: what happened when it was raised, only if it was raised.
 */
const ASKED_ONLY_IF: Readonly<Record<string, (answers: Readonly<Record<string, string>>) => boolean>> = {
  raisedBeforeDetails: (answers) => answers.raisedBefore === 'manager' || answers.raisedBefore === 'other',
};

/** Clearer messages for the required questions people most often miss; others get a general one. */
const REQUIRED_MESSAGES: Readonly<Record<string, string>> = {
  whatHappened: 'Tell us what happened',
  howYouKnow: 'Select how you know about it',
  raisedBefore: 'Select whether you have raised this before',
  immediateDanger: 'Select whether anyone is in immediate danger',
};

export function questionsFor(form: IntakeForm, category: string | undefined): FormQuestion[] {
  if (!category) return [];
  return form.questions.filter((q) => !q.categories || q.categories.includes(category));
}

/** The question pages of a category, in the form's order. */
function questionSteps(form: IntakeForm, draft: Draft): Step[] {
  const questions = questionsFor(form, draft.category);
  const steps: Step[] = [];
  const placed = new Set<string>();
  for (const question of questions) {
    if (placed.has(question.id)) continue;
    const shared = SHARED_PAGES.find((page) => page.ids.includes(question.id));
    const onPage = shared ? questions.filter((q) => shared.ids.includes(q.id)) : [question];
    onPage.forEach((q) => placed.add(q.id));
    const asked = onPage.filter((q) => ASKED_ONLY_IF[q.id]?.(draft.answers) ?? true);
    if (!asked.length) continue;
    steps.push({
      key: asked[0].id,
      kind: 'questions',
      title: asked.length === 1 ? asked[0].label : (shared?.title ?? asked[0].label),
      questions: asked,
    });
  }
  return steps;
}

/**
 * Every page of the report for this draft, in order. Check your answers is the last page, after the
 * evidence, so the files are checked too and "Send report" is pressed on the page that shows everything.
 */
export function stepsFor(form: IntakeForm, draft: Draft): Step[] {
  const steps: Step[] = [
    { key: 'concern', kind: 'concern', title: 'What is your concern about?', questions: [] },
    ...questionSteps(form, draft),
  ];
  if (form.involves.options.length)
    steps.push({ key: 'involves', kind: 'involves', title: form.involves.label, questions: [] });
  steps.push({
    key: 'identity',
    kind: 'identity',
    title: 'Do you want to tell us who you are?',
    questions: [],
  });
  if (draft.identityChoice === 'yes')
    steps.push({
      key: 'your-details',
      kind: 'identityDetails',
      title: 'Your details',
      questions: form.identity.fields,
    });
  steps.push({ key: 'files', kind: 'files', title: 'Add evidence', questions: [] });
  steps.push({ key: 'check', kind: 'check', title: 'Check your answers', questions: [] });
  return steps;
}

export function findStep(form: IntakeForm, draft: Draft, key: string): Step | undefined {
  return stepsFor(form, draft).find((step) => step.key === key);
}

/**
 * Where Continue leads from `step`: the next page, or straight back to the check page after a change
 * (unless the change opened a page that was not answered yet, such as a new category's questions).
 */
export function nextStep(form: IntakeForm, draft: Draft, step: Step): Step {
  const steps = stepsFor(form, draft);
  const firstUnanswered = steps.find((s) => !isAnswered(form, draft, s));
  if (draft.returnToCheck) return firstUnanswered ?? steps[steps.length - 1];
  const at = steps.findIndex((s) => s.key === step.key);
  return steps[Math.min(at + 1, steps.length - 1)];
}

export function previousStep(form: IntakeForm, draft: Draft, step: Step): Step | undefined {
  const steps = stepsFor(form, draft);
  const at = steps.findIndex((s) => s.key === step.key);
  return at > 0 ? steps[at - 1] : undefined;
}

/** Whether a page has been answered well enough to be passed (used to stop a jump over missing answers). */
export function isAnswered(form: IntakeForm, draft: Draft, step: Step): boolean {
  switch (step.kind) {
    case 'concern':
      return form.categories.some((c) => c.id === draft.category);
    case 'questions':
      return step.questions.every((q) => checkQuestion(q, draft.answers[q.id]) === undefined);
    case 'involves':
      return draft.involves !== undefined;
    case 'identity':
      return draft.identityChoice !== undefined;
    case 'identityDetails':
      return (
        Object.keys(draft.identity).length > 0 &&
        step.questions.every((q) => checkQuestion(q, draft.identity[q.id]) === undefined)
      );
    case 'files':
      return draft.filesDone === true;
    case 'check':
      return false;
  }
}

/** The first page that still needs an answer, or the check page when all are done. */
export function firstIncomplete(form: IntakeForm, draft: Draft): Step {
  const steps = stepsFor(form, draft);
  return steps.find((s) => !isAnswered(form, draft, s)) ?? steps[steps.length - 1];
}

type Input = Readonly<Record<string, unknown>>;

function text(input: Input, name: string): string {
  const value = input[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.replace(/\r\n/g, '\n') : '';
}

function list(input: Input, name: string): string[] {
  const value = input[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v): v is string => typeof v === 'string');
}

function checkQuestion(question: FormQuestion, raw: string | undefined): string | undefined {
  const value = raw ?? '';
  if (value.trim() === '') {
    if (!question.required) return undefined;
    return (
      REQUIRED_MESSAGES[question.id] ??
      (question.type === 'choice'
        ? `Select an answer to "${question.label}"`
        : `Enter an answer to "${question.label}"`)
    );
  }
  if (question.maxLength !== undefined && value.length > question.maxLength)
    return `Your answer to "${question.label}" must be ${question.maxLength.toLocaleString('en-GB')} characters or fewer`;
  if (value === PREFER_NOT_TO_SAY && offersPreferNotToSay(question)) return undefined;
  if (question.type === 'choice' && !question.options?.some((o) => o.value === value))
    return `Select one of the answers to "${question.label}"`;
  return undefined;
}

/** The field id an error links to: a radio group's first radio carries the group's name as its id. */
function fieldId(question: FormQuestion): string {
  return question.id;
}

/**
 * Puts one page's answers into the draft and checks them. The draft keeps what was typed even when it
 * has errors, so the page shown again with its errors still has the reporter's words.
 */
export function applyStep(
  form: IntakeForm,
  draft: Draft,
  step: Step,
  input: Input,
): { draft: Draft; errors: FieldError[] } {
  const errors: FieldError[] = [];
  switch (step.kind) {
    case 'concern': {
      const category = text(input, 'category');
      if (!form.categories.some((c) => c.id === category))
        errors.push({ field: 'category', message: 'Select what your concern is about' });
      // Answers to questions a new category does not ask stay in the draft (the reporter may change
      // back) but are left out when the report is sent (toSubmission).
      return { draft: category ? { ...draft, category } : draft, errors };
    }
    case 'questions': {
      const answers: Record<string, string> = { ...draft.answers };
      for (const question of step.questions) {
        const value = text(input, question.id);
        if (value.trim() === '') delete answers[question.id];
        else answers[question.id] = value;
        const problem = checkQuestion(question, value);
        if (problem) errors.push({ field: fieldId(question), message: problem });
      }
      return { draft: { ...draft, answers }, errors };
    }
    case 'involves': {
      const chosen = list(input, 'involves');
      const none = chosen.includes('none');
      const roles = chosen.filter((v) => form.involves.options.some((o) => o.value === v));
      if (!none && !roles.length)
        errors.push({
          field: 'involves',
          message: 'Select the people your concern involves, or select "No, none of these"',
        });
      else if (none && roles.length)
        errors.push({
          field: 'involves',
          message: 'Select either the people your concern involves, or "No, none of these", not both',
        });
      return { draft: { ...draft, involves: none ? [] : roles }, errors };
    }
    case 'identity': {
      const choice = text(input, 'identityChoice');
      if (choice !== 'yes' && choice !== 'no') {
        errors.push({ field: 'identityChoice', message: 'Select whether you want to tell us who you are' });
        return { draft, errors };
      }
      // Choosing to stay anonymous drops any details given earlier: they are never sent or carried.
      return {
        draft: { ...draft, identityChoice: choice, identity: choice === 'no' ? {} : draft.identity },
        errors,
      };
    }
    case 'identityDetails': {
      const identity: Record<string, string> = {};
      for (const field of step.questions) {
        const value = text(input, field.id);
        if (value.trim()) identity[field.id] = value;
        const problem = value.trim() ? checkQuestion(field, value) : undefined;
        if (problem) errors.push({ field: field.id, message: problem });
      }
      // A choice (whether they may be named) says nothing about who they are: a detail must.
      const identifying = step.questions.some((q) => q.type !== 'choice' && identity[q.id] !== undefined);
      if (!identifying)
        errors.push({
          field: step.questions[0]?.id ?? 'identityChoice',
          message:
            'Enter your name, your job title or how we can contact you. If you want to stay anonymous, go back and choose "No"',
        });
      return { draft: { ...draft, identity }, errors };
    }
    // The files page is applied by the controller, which holds the files (see draft-store.ts).
    case 'files':
    case 'check':
      return { draft, errors };
  }
}

/** What is sent to the API: only the questions this category asks, identity only if chosen. */
export function toSubmission(form: IntakeForm, draft: Draft): Submission {
  const asked = stepsFor(form, draft).flatMap((s) => s.questions.map((q) => q.id));
  const answers = Object.fromEntries(
    Object.entries(draft.answers).filter(
      ([id, value]) => asked.includes(id) && value.trim() !== '' && value !== PREFER_NOT_TO_SAY,
    ),
  );
  const identity =
    draft.identityChoice === 'yes' && Object.keys(draft.identity).length ? draft.identity : null;
  return { category: draft.category ?? '', answers, involves: draft.involves ?? [], identity };
}

/** Plain-English label of a choice answer, or the text as typed. */
export function displayAnswer(question: FormQuestion, value: string | undefined): string {
  if (value === undefined || value === '') return 'Not answered';
  if (value === PREFER_NOT_TO_SAY && offersPreferNotToSay(question)) return 'Prefer not to say';
  if (question.type === 'choice') return question.options?.find((o) => o.value === value)?.label ?? value;
  return value;
}

/** "Step 3 of 12": where a page sits in the report as it stands (the count changes with the answers). */
export function progressOf(form: IntakeForm, draft: Draft, step: Step): { at: number; of: number } {
  const steps = stepsFor(form, draft);
  return { at: steps.findIndex((s) => s.key === step.key) + 1, of: steps.length };
}
