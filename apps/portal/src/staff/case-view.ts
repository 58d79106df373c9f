/**
 * Shaping a case for its page: the report's answers under the questions the reporter was asked (the
 * same INTAKE_QUESTIONS the form came from), dates in GOV.UK style, and the timeline as mojTimeline
 * items. Everything here is plain text: Nunjucks escapes it when the page is drawn.
 */
import {
  actorLabel,
  INTAKE_QUESTIONS,
  isLocalDate,
  MONTH_NAMES,
  peopleLabels,
  timelineTitle,
} from '@nolan/domain';
import type { TimelineEvent } from '../api/staff-api';

/** '2026-03-02' → '2 March 2026' (GOV.UK style); anything else as it came. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '';
  const day = date.slice(0, 10);
  if (!isLocalDate(day)) return date;
  const [year, month, dayOfMonth] = day.split('-').map(Number) as [number, number, number];
  return `${dayOfMonth} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** '2026-03-02' → '2 Mar 2026', for tables (GOV.UK's short date style). */
export function formatShortDate(date: string | null | undefined): string {
  const long = formatDate(date);
  return /^\d{1,2} [A-Z][a-z]+ \d{4}$/.test(long) ? long.replace(/ ([A-Z][a-z]{2})[a-z]* /, ' $1 ') : long;
}

/** The report's answers as summary-list rows, in the form's order, labelled with its questions. */
export function describeAnswers(report: { answers?: Record<string, unknown> } | null | undefined) {
  const answers = report?.answers ?? {};
  const rows: { key: { text: string }; value: { text: string } }[] = [];
  const known = new Set<string>();
  for (const question of INTAKE_QUESTIONS) {
    known.add(question.id);
    const value = answers[question.id];
    if (value === undefined || value === null || value === '') continue;
    const label = question.options?.find((o) => o.value === value)?.label;
    rows.push({ key: { text: question.label }, value: { text: label ?? String(value) } });
  }
  for (const [id, value] of Object.entries(answers))
    if (!known.has(id) && value !== '' && value != null)
      rows.push({ key: { text: id }, value: { text: String(value) } });
  return rows;
}

/**
 * The timeline as mojTimeline items, newest first, each with its content as short paragraphs. The API
 * sends data; the words (titles, who acted) are libs/domain's timeline-words.ts, as in the export.
 */
export function timelineItems(events: readonly TimelineEvent[], reference: string) {
  return [...events].reverse().map((event) => ({
    label: { text: timelineTitle(event) },
    byline: { text: actorLabel(event.actor) },
    datetime: { timestamp: event.at, type: event.precision === 'hour' ? 'date' : 'datetime' },
    html: describeContent(event, reference),
  }));
}

/** Content fields that list members of staff (TimelinePerson). */
const PEOPLE_FIELDS = ['granted', 'revoked', 'passedTo'];

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A readable rendering of an event's decrypted content: each field on its own line, escaped. */
function describeContent(event: TimelineEvent, reference: string): string {
  const parts: string[] = [];
  const add = (label: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    if (Array.isArray(value) && value.length === 0) return;
    if (typeof value === 'boolean') value = value ? 'Yes' : 'No';
    if (Array.isArray(value)) {
      const items = value.map((v) =>
        typeof v === 'object' && v ? Object.values(v).map(String).join(' – ') : String(v),
      );
      parts.push(
        `<p class="govuk-body govuk-!-margin-bottom-1"><strong>${escape(label)}</strong></p><ul class="govuk-list govuk-list--bullet">${items
          .map((i) => `<li>${escape(i)}</li>`)
          .join('')}</ul>`,
      );
    } else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) add(humanise(key), inner);
    } else {
      parts.push(`<p class="govuk-body"><strong>${escape(label)}:</strong> ${escape(String(value))}</p>`);
    }
  };
  // An item whose signature does not verify is shown, with a warning (docs/architecture.md "Encryption model").
  if (event.verification === 'unverified')
    parts.push(
      '<div class="govuk-warning-text item-unverified"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>This record’s signature does not verify: it may not be what it claims to be. Tell your monitoring officer.</strong></div>',
    );
  const content = event.content ?? {};
  for (const [key, value] of Object.entries(content)) {
    if (['requestId', 'itemId', 'to', 'from', 'on'].includes(key)) continue;
    // People come as data (id, name, roles): shown by name and role, as the title names them.
    add(humanise(key), PEOPLE_FIELDS.includes(key) ? peopleLabels(value) : value);
  }
  for (const file of event.files)
    parts.push(
      `<p class="govuk-body"><a class="govuk-link" href="/staff/cases/${encodeURIComponent(reference)}/files/${encodeURIComponent(file.id)}" download>${escape(file.name)}</a> (${Math.max(1, Math.round(file.size / 1024))} KB)</p>`,
    );
  return parts.join('');
}

/** 'proposedHandling' → 'Proposed handling'. */
export function humanise(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
