/**
 * The reporter's view of their report as GOV.UK components: the status in plain English, what they
 * sent, the council's feedback, and the conversation (MOJ timeline), oldest first, with files linked
 * through the portal (never to the API directly).
 */
import type { IntakeForm, ReporterCase } from '../api/reporter-api';

/** What each stage means for the person who raised the concern. */
const STATUS_FOR_REPORTER: Readonly<Record<string, { text: string; colour: string; explanation: string }>> = {
  received: {
    text: 'Received',
    colour: 'blue',
    explanation: 'Your report has arrived. Someone will acknowledge it within 7 days.',
  },
  acknowledged: {
    text: 'Acknowledged',
    colour: 'turquoise',
    explanation: 'Someone is looking after your report and will decide what to do next.',
  },
  assessment: {
    text: 'Being assessed',
    colour: 'turquoise',
    explanation: 'Your report is being assessed to decide whether and how to look into it.',
  },
  investigation: {
    text: 'Being investigated',
    colour: 'purple',
    explanation: 'Your concern is being investigated.',
  },
  decision: {
    text: 'Awaiting a decision',
    colour: 'purple',
    explanation: 'The investigation has finished and a decision is being made.',
  },
  closed: {
    text: 'Closed',
    colour: 'grey',
    explanation: 'The council has finished dealing with your report.',
  },
  reopened: { text: 'Reopened', colour: 'orange', explanation: 'Your report has been opened again.' },
};

/** What each outcome of a closed case means, told to the person who raised the concern. */
const OUTCOME_FOR_REPORTER: Readonly<Record<string, string>> = {
  substantiated: 'The council found that what you reported happened.',
  partially_substantiated: 'The council found that some of what you reported happened.',
  not_substantiated: 'The council did not find enough evidence to show that what you reported happened.',
  no_further_action: 'The council decided to take no further action.',
  referred_externally: 'The council passed your concern to another organisation to deal with.',
  referred_to_another_procedure: 'The council is dealing with your concern under another of its procedures.',
  withdrawn: 'The report was withdrawn.',
  duplicate:
    'The council already knew about what you reported and is dealing with it as part of another report.',
};

/**
 * Whether anyone reads a message sent now. A reporter's message always tells the people who hold the
 * case that there is something new (notifications.service.ts), closed or not; on a closed case they
 * decide whether to look at it again.
 */
const CLOSED_CASE_MESSAGES =
  'Your report is closed, but you can still send a message. The people who dealt with it are told that there is a new message, and they decide whether to look at your report again. If something new has happened, you can also send a new report.';

/** "2026-11-23" → "23 November 2026". */
export function longDate(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function caseModel(form: IntakeForm, view: ReporterCase, slug: string) {
  const status = STATUS_FOR_REPORTER[view.status] ?? { text: view.status, colour: 'grey', explanation: '' };
  const files = new Map(
    view.attachments.map((a) => [
      a.id,
      {
        href: `/report/${slug}/case/files/${encodeURIComponent(a.id)}`,
        name: a.name,
        size: fileSize(a.size),
      },
    ]),
  );
  const inMessages = new Set(view.messages.flatMap((m) => m.attachments));
  const answers = view.report?.answers ?? {};
  const answerRows = form.questions
    .filter((q) => answers[q.id] !== undefined)
    .map((q) => ({
      key: { text: q.label },
      value: {
        text:
          q.type === 'choice'
            ? (q.options?.find((o) => o.value === answers[q.id])?.label ?? answers[q.id])
            : answers[q.id],
      },
    }));
  const closed = view.status === 'closed';
  return {
    reference: view.reference,
    status,
    outcome: closed && view.outcome ? (OUTCOME_FOR_REPORTER[view.outcome] ?? view.outcome) : undefined,
    closedMessages: closed ? CLOSED_CASE_MESSAGES : undefined,
    receivedOn: longDate(view.receivedOn),
    /** An officer recorded the report and saw its receipt: the page invites the reporter to replace it. */
    recordedByOfficer: view.recordedByOfficer === true,
    categoryTitle: view.categoryTitle,
    answerRows,
    /** Files sent with the report itself (those sent with a message are shown with it). */
    reportFiles: [...files.entries()].filter(([id]) => !inMessages.has(id)).map(([, f]) => f),
    feedback: (view.feedback ?? []).map((f) => ({
      givenOn: longDate(String(f.givenOn ?? '')),
      actionTaken: String(f.actionTaken ?? ''),
      reasons: String(f.reasons ?? ''),
    })),
    messages: view.messages.map((m) => ({
      from: m.from === 'you' ? 'You' : form.tenant.name,
      sentOn: longDate(m.sentOn),
      day: m.sentOn,
      text: m.text,
      files: m.attachments.map((id) => files.get(id)).filter((f) => f !== undefined),
    })),
  };
}
