/**
 * The JSON Schema of a submission, generated from the domain's form definition so that OpenAPI at
 * /api/docs describes exactly what validateSubmission accepts (issue #5: "another client can fill
 * it in without reading our code").
 */
import {
  CATEGORIES,
  IDENTITY_FIELDS,
  INTAKE_QUESTIONS,
  type Question,
  ROLE_HOLDER_ROLES,
} from '@nolan/domain';

function property(q: Question): Record<string, unknown> {
  const base: Record<string, unknown> = { type: 'string', title: q.label };
  if (q.hint) base.description = q.hint;
  if (q.maxLength) base.maxLength = q.maxLength;
  if (q.options) base.enum = q.options.map((o) => o.value);
  if (q.categories)
    base.description = `${q.hint ? `${q.hint} ` : ''}Only for categories: ${q.categories.join(', ')}.`;
  return base;
}

export function submissionSchema(): Record<string, unknown> {
  return {
    type: 'object',
    required: ['category', 'answers'],
    properties: {
      category: {
        type: 'string',
        enum: CATEGORIES.map((c) => c.id),
        description: 'See GET /tenants/{slug}/form for titles and guidance',
      },
      answers: {
        type: 'object',
        additionalProperties: false,
        description:
          'Answers keyed by question id; required questions depend on the category (see the form).',
        properties: Object.fromEntries(INTAKE_QUESTIONS.map((q) => [q.id, property(q)])),
      },
      involves: {
        type: 'array',
        items: { type: 'string', enum: [...ROLE_HOLDER_ROLES] },
        description: 'The statutory officers the concern involves; they will not see it.',
      },
      identity: {
        type: 'object',
        additionalProperties: false,
        description: 'Optional. Leave out to stay anonymous.',
        properties: Object.fromEntries(IDENTITY_FIELDS.map((q) => [q.id, property(q)])),
      },
      altcha: {
        type: 'string',
        description: 'The solved proof of work (base64 ALTCHA payload) from GET /tenants/{slug}/challenge',
      },
      waitTicket: {
        type: 'string',
        description:
          'Instead of altcha, for browsers without JavaScript: a wait ticket from GET /tenants/{slug}/challenge?mode=wait',
      },
    },
  };
}
