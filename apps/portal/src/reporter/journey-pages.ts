/**
 * The reporter's pages as view models: each page's GOV.UK macro parameters are built here, from the
 * council's form and the draft, so the templates stay plain and every page shows errors the same way
 * (an error summary listing every error at once, each linking to its field, the message on the field,
 * "Error: " in the title, the reporter's answers kept). Shared by the journey controller and the
 * upload error filter.
 */
import { Injectable } from '@nestjs/common';
import { receiptWords } from '@nolan/domain';
import type { Response } from 'express';
import type { FormQuestion, IntakeForm } from '../api/reporter-api';
import type { DraftHandle, SentReport } from './draft-seal';
import { acceptOf } from './file-accept';
import type { TicketForPage } from './human-proof.service';
import {
  displayAnswer,
  type Draft,
  type FieldError,
  offersPreferNotToSay,
  PREFER_NOT_TO_SAY,
  previousStep,
  progressOf,
  type Step,
  stepsFor,
} from './journey';

/** Text for the error summary and each field's error message. */
export function errorModel(errors: readonly FieldError[]) {
  return {
    errorList: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
    errorFor: Object.fromEntries(errors.map((e) => [e.field, { text: e.message }])) as Record<
      string,
      { text: string }
    >,
  };
}

/** "20 MB": how the file limits read on the evidence page. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

function questionField(
  question: FormQuestion,
  value: string | undefined,
  error: { text: string } | undefined,
  isPageHeading: boolean,
) {
  const size = isPageHeading ? 'l' : 'm';
  const hint = question.hint ? { text: question.hint } : undefined;
  // GOV.UK style: mark the questions a reporter may skip, not the ones they must answer.
  const label = question.required ? question.label : `${question.label} (optional)`;
  if (question.type === 'choice') {
    const items: Record<string, unknown>[] = (question.options ?? []).map((o) => ({
      value: o.value,
      text: o.label,
      checked: o.value === value,
    }));
    if (offersPreferNotToSay(question))
      items.push(
        { divider: 'or' },
        { value: PREFER_NOT_TO_SAY, text: 'I would prefer not to say', checked: value === PREFER_NOT_TO_SAY },
      );
    return {
      macro: 'radios',
      params: {
        idPrefix: question.id,
        name: question.id,
        fieldset: {
          legend: { text: label, isPageHeading, classes: `govuk-fieldset__legend--${size}` },
        },
        hint,
        errorMessage: error,
        items,
      },
    };
  }
  const common = {
    id: question.id,
    name: question.id,
    label: { text: label, isPageHeading, classes: `govuk-label--${size}` },
    hint,
    value,
    errorMessage: error,
    spellcheck: true,
  };
  if (question.type === 'textarea')
    return question.maxLength
      ? { macro: 'characterCount', params: { ...common, maxlength: question.maxLength, rows: 8 } }
      : { macro: 'textarea', params: { ...common, rows: 8 } };
  return { macro: 'input', params: { ...common, autocomplete: 'off' } };
}

/** The journey's addresses: each page is a GET of its own, under the draft's handle. */
export function draftPage(slug: string, handle: DraftHandle, page: string): string {
  return `/report/${slug}/draft/${handle.token}/${page}`;
}

export interface StepRender {
  readonly form: IntakeForm;
  readonly handle: DraftHandle;
  readonly draft: Draft;
  readonly step: Step;
  readonly errors?: readonly FieldError[];
  /** What was ticked on the involves page when it is shown again with an error. */
  readonly involvesTicked?: readonly string[];
  /** The proof-of-work ticket for the check page, where "Send report" is. */
  readonly ticket?: TicketForPage;
}

/** Said on every page where the reporter writes in their own words. */
const DO_NOT_IDENTIFY_YOURSELF =
  'What you write here could identify you. If you want to stay anonymous, leave out your name, your job title and anything only you would know, such as a conversation nobody else was part of.';

@Injectable()
export class JourneyPages {
  private base(form: IntakeForm, handle: DraftHandle, errors: readonly FieldError[]) {
    return {
      slug: form.tenant.slug,
      council: form.tenant.name,
      draftToken: handle.token,
      ...errorModel(errors),
    };
  }

  /** One page of questions, the category, the people involved, identity, evidence, or check your answers. */
  step(
    res: Response,
    status: number,
    { form, handle, draft, step, errors = [], involvesTicked, ticket }: StepRender,
  ): void {
    const model = this.base(form, handle, errors);
    const back = previousStep(form, draft, step);
    const common = {
      ...model,
      pageTitle: step.title,
      step,
      progress: progressOf(form, draft, step),
      action: `/report/${form.tenant.slug}/answers/${step.key}`,
      canGoBack: back !== undefined,
    };
    switch (step.kind) {
      case 'concern':
        return res.status(status).render('reporter/concern', {
          ...common,
          categories: form.categories.map((c) => ({
            value: c.id,
            text: c.title,
            hint: { text: c.description },
            checked: c.id === draft.category,
          })),
        });
      case 'questions':
        return res.status(status).render('reporter/questions', {
          ...common,
          single: step.questions.length === 1,
          advice: step.questions.some((q) => q.type !== 'choice') ? DO_NOT_IDENTIFY_YOURSELF : undefined,
          fields: step.questions.map((q) =>
            questionField(q, draft.answers[q.id], model.errorFor[q.id], step.questions.length === 1),
          ),
        });
      case 'involves': {
        const ticked = involvesTicked ?? (draft.involves?.length === 0 ? ['none'] : (draft.involves ?? []));
        return res.status(status).render('reporter/involves', {
          ...common,
          involves: {
            idPrefix: 'involves',
            name: 'involves',
            fieldset: {
              legend: {
                text: form.involves.label,
                isPageHeading: true,
                classes: 'govuk-fieldset__legend--l',
              },
            },
            hint: { text: form.involves.hint },
            errorMessage: model.errorFor.involves,
            items: [
              ...form.involves.options.map((o) => ({
                value: o.value,
                text: o.label,
                hint: o.holders.length ? { text: o.holders.join(', ') } : undefined,
                checked: ticked.includes(o.value),
              })),
              { divider: 'or' },
              {
                value: 'none',
                text: 'No, none of these',
                behaviour: 'exclusive',
                checked: ticked.includes('none'),
              },
            ],
          },
        });
      }
      case 'identity':
        return res.status(status).render('reporter/identity', {
          ...common,
          statement: form.identity.statement,
          choice: draft.identityChoice,
        });
      case 'identityDetails':
        return res.status(status).render('reporter/questions', {
          ...common,
          single: false,
          intro:
            'Give as much or as little as you want. Only the person looking after your concern can see it.',
          fields: step.questions.map((q) =>
            questionField(q, draft.identity[q.id], model.errorFor[q.id], false),
          ),
        });
      case 'files': {
        const limits = form.attachments;
        return res.status(status).render('reporter/evidence', {
          ...common,
          files: (draft.files ?? []).map((f) => ({ ...f, size: fileSize(f.size) })),
          accept: acceptOf(limits),
          limitsText:
            `You can add up to ${limits.maxFiles} files, each up to ${megabytes(limits.maxFileBytes)} ` +
            `(${megabytes(limits.maxTotalBytes)} in total): ${limits.acceptedTypes.map((t) => t.label).join(', ')}.`,
        });
      }
      case 'check': {
        const proof = ticket ?? { unavailable: 'Press "Send report" once and wait.' };
        return res.status(status).render('reporter/check-answers', {
          ...common,
          sections: this.checkSections(form, draft),
          files: (draft.files ?? []).map((f) => ({ name: f.name, size: fileSize(f.size) })),
          sendAction: `/report/${form.tenant.slug}/send`,
          challengeUrl: `/report/${form.tenant.slug}/challenge?purpose=submission`,
          ticket: 'ticket' in proof ? proof.ticket : undefined,
          ticketUnavailable: 'unavailable' in proof ? proof.unavailable : undefined,
        });
      }
    }
  }

  /** Check your answers: each answer with a Change button that reopens its page. */
  private checkSections(form: IntakeForm, draft: Draft) {
    const steps = stepsFor(form, draft);
    const category = form.categories.find((c) => c.id === draft.category);
    const questionRows = steps
      .filter((s) => s.kind === 'questions')
      .flatMap((s) =>
        s.questions.map((q) => ({
          key: q.label,
          value: displayAnswer(q, draft.answers[q.id]),
          change: s.key,
          hidden: q.label.replace(/\?$/, '').toLowerCase(),
        })),
      );
    const involved = (draft.involves ?? [])
      .map((role) => form.involves.options.find((o) => o.value === role)?.label ?? role)
      .join('\n');
    const anonymous = draft.identityChoice !== 'yes';
    const identityRows = [
      {
        key: 'Who you are',
        value: anonymous ? 'You have chosen to stay anonymous' : 'You have chosen to tell us who you are',
        change: 'identity',
        hidden: 'whether you tell us who you are',
      },
      ...(anonymous
        ? []
        : form.identity.fields.map((f) => ({
            key: f.label,
            value: draft.identity[f.id] ? displayAnswer(f, draft.identity[f.id]) : 'Not given',
            change: 'your-details',
            hidden: f.label.toLowerCase(),
          }))),
    ];
    return [
      {
        title: 'Your concern',
        rows: [
          {
            key: 'What it is about',
            value: category?.title ?? '',
            change: 'concern',
            hidden: 'what your concern is about',
          },
          ...questionRows,
          ...(form.involves.options.length
            ? [
                {
                  key: 'People it involves',
                  value: involved || 'None of these',
                  change: 'involves',
                  hidden: 'the people it involves',
                },
              ]
            : []),
        ],
      },
      { title: 'About you', rows: identityRows },
      {
        title: 'Evidence',
        rows: [
          {
            key: 'Files',
            value: (draft.files ?? []).length
              ? (draft.files ?? []).map((f) => `${f.name} (${fileSize(f.size)})`).join('\n')
              : 'No files added',
            change: 'files',
            hidden: 'the files',
          },
        ],
      },
    ];
  }

  /** The confirmation: the reference, the receipt, and the "I have written it down" step. */
  sent(
    res: Response,
    status: number,
    form: IntakeForm,
    handle: DraftHandle,
    sent: SentReport,
    options: { errors?: readonly FieldError[]; pressedAgain?: boolean } = {},
  ): void {
    res.status(status).render('reporter/sent', {
      ...this.base(form, handle, options.errors ?? []),
      pageTitle: 'Report sent',
      reference: sent.reference,
      receiptWords: receiptWords(sent.receipt),
      pressedAgain: options.pressedAgain === true,
      action: `/report/${form.tenant.slug}/receipt`,
    });
  }

  /** Any page of a draft that has been sent: it cannot be sent, shown or changed again. */
  alreadySent(
    res: Response,
    status: number,
    form: IntakeForm,
    handle: DraftHandle,
    receiptStillShown: boolean,
  ): void {
    res.status(status).render('reporter/already-sent', {
      pageTitle: 'This report has already been sent',
      slug: form.tenant.slug,
      council: form.tenant.name,
      receiptHref: receiptStillShown ? draftPage(form.tenant.slug, handle, 'sent') : undefined,
    });
  }
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
