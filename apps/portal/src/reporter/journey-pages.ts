/**
 * The reporter's pages as view models: each page's GOV.UK macro parameters are built here, from the
 * council's form and the draft, so the templates stay plain and every page shows errors the same way
 * (an error summary linking to each field, the message on the field, "Error: " in the title, the
 * reporter's answers kept). Shared by the journey controller and the upload error filter.
 */
import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { FormQuestion, IntakeForm } from '../api/reporter-api';
import { Sealer } from '../common/sealed';
import { sealDraft, sealReceipt, type SentReport } from './draft-seal';
import type { TicketForPage } from './human-proof.service';
import { displayAnswer, type Draft, type FieldError, previousStep, type Step, stepsFor } from './journey';

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
  if (question.type === 'choice') {
    return {
      macro: 'radios',
      params: {
        idPrefix: question.id,
        name: question.id,
        fieldset: {
          legend: { text: question.label, isPageHeading, classes: `govuk-fieldset__legend--${size}` },
        },
        hint,
        errorMessage: error,
        items: (question.options ?? []).map((o) => ({
          value: o.value,
          text: o.label,
          checked: o.value === value,
        })),
      },
    };
  }
  const common = {
    id: question.id,
    name: question.id,
    label: { text: question.label, isPageHeading, classes: `govuk-label--${size}` },
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

export interface StepRender {
  readonly form: IntakeForm;
  readonly draft: Draft;
  readonly step: Step;
  readonly errors?: readonly FieldError[];
  /** What was ticked on the involves page when it is shown again with an error. */
  readonly involvesTicked?: readonly string[];
}

@Injectable()
export class JourneyPages {
  constructor(private readonly sealer: Sealer) {}

  private base(form: IntakeForm, draft: Draft, errors: readonly FieldError[]) {
    return {
      slug: form.tenant.slug,
      council: form.tenant.name,
      draftToken: sealDraft(this.sealer, draft),
      ...errorModel(errors),
    };
  }

  /** One page of questions, the category, the people involved, identity, or check your answers. */
  step(res: Response, status: number, { form, draft, step, errors = [], involvesTicked }: StepRender): void {
    const model = this.base(form, draft, errors);
    const back = previousStep(form, draft, step);
    const common = {
      ...model,
      pageTitle: step.title,
      step,
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
      case 'check':
        return res.status(status).render('reporter/check-answers', {
          ...common,
          sections: this.checkSections(form, draft),
        });
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
            value: draft.identity[f.id] ?? 'Not given',
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
    ];
  }

  /** Add evidence and send: the file upload, the proof of work (widget, or a ticket inside <noscript>). */
  send(
    res: Response,
    status: number,
    form: IntakeForm,
    draft: Draft,
    ticket: TicketForPage,
    errors: readonly FieldError[] = [],
  ): void {
    const limits = form.attachments;
    res.status(status).render('reporter/send', {
      ...this.base(form, draft, errors),
      pageTitle: 'Add evidence and send your report',
      action: `/report/${form.tenant.slug}/send`,
      backAction: `/report/${form.tenant.slug}/answers/check`,
      challengeUrl: `/report/${form.tenant.slug}/challenge?purpose=submission`,
      ticket: 'ticket' in ticket ? ticket.ticket : undefined,
      ticketUnavailable: 'unavailable' in ticket ? ticket.unavailable : undefined,
      accept: limits.acceptedTypes
        .flatMap((t) => [t.mediaType, ...t.extensions.map((e) => `.${e}`)])
        .join(','),
      limitsText:
        `You can add up to ${limits.maxFiles} files, each up to ${megabytes(limits.maxFileBytes)} ` +
        `(${megabytes(limits.maxTotalBytes)} in total): ${limits.acceptedTypes.map((t) => t.label).join(', ')}.`,
    });
  }

  /** The confirmation: the reference, the receipt, and the "I have written it down" step. */
  sent(
    res: Response,
    status: number,
    form: IntakeForm,
    sent: SentReport,
    errors: readonly FieldError[] = [],
  ): void {
    res.status(status).render('reporter/sent', {
      ...errorModel(errors),
      slug: form.tenant.slug,
      council: form.tenant.name,
      pageTitle: 'Report sent',
      reference: sent.reference,
      receiptWords: sent.receipt.split(/[\s-]+/).filter(Boolean),
      receiptToken: sealReceipt(this.sealer, form.tenant.slug, sent),
      action: `/report/${form.tenant.slug}/receipt`,
    });
  }
}
