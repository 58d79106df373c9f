/**
 * The readable document inside a case export (issue #7 "Export"): case.md, one Markdown file a person can
 * read as plain text or in any Markdown viewer — summary, the report's answers, the messages both ways,
 * internal notes and records, evidence, identity (only for someone granted it) and the timeline.
 *
 * What people wrote (reporter, handlers) goes inside fenced code blocks, each fence longer than any run of
 * backticks in the text; a fence is read literally by every Markdown renderer: no HTML, no links, no
 * remote images. Short one-line values (names, file names, a date or a line of a form) sit inline with
 * every character that could open a link, an image or HTML escaped. That matters because a reporter's
 * text rendered as Markdown could otherwise embed an image from their own server and learn when, and from
 * where, a handler opened the export.
 *
 * Pure: no I/O, no decryption; exports.service.ts gathers the decrypted parts and hands them here.
 */
import type { ItemVerification } from '@nolan/contract';
import {
  getCategory,
  INTAKE_QUESTIONS,
  IDENTITY_FIELDS,
  isCategoryId,
  isStaffRole,
  STAFF_ROLE_LABELS,
} from '@nolan/domain';

export interface DocumentFile {
  /** Path inside the zip, e.g. attachments/01-minutes.pdf */
  path: string;
  name: string;
  mediaType: string;
  size: number;
  addedBy: string;
  addedOn: string;
  /** Which part of the case it belongs to. */
  scope: 'report' | 'internal';
}

export interface DocumentMessage {
  from: 'reporter' | 'staff';
  /** Display name of the staff author; "The reporter" otherwise. */
  author: string;
  sentOn: string;
  text: string;
  /** Zip paths of the files sent with it. */
  attachments: string[];
  /** Its signature state (cases/record/item-seal.ts); an unverified message is marked in case.md. */
  verification?: ItemVerification;
}

export interface DocumentRecord {
  /** The item kind, e.g. transition, note, recusal. */
  kind: string;
  author: string;
  on: string;
  data: unknown;
  verification?: ItemVerification;
}

export interface DocumentTimelineEntry {
  on: string;
  text: string;
}

export interface CaseDocumentInput {
  reference: string;
  tenantName: string;
  exportedAt: Date;
  exportedBy: { name: string; email: string };
  recipientFingerprint: string;
  signingFingerprint: string;
  summary: {
    category: string;
    status: string;
    outcome: string | null;
    channel: string;
    receivedOn: string;
    acknowledgementDue: string;
    acknowledgedOn: string | null;
    feedbackDue: string;
    closedOn: string | null;
  };
  /** Scopes the exporter holds: only those parts were decrypted and appear. */
  scopes: { report: boolean; internal: boolean; identity: boolean };
  report: { answers: Record<string, unknown>; involves: unknown[] } | null;
  messages: DocumentMessage[];
  records: DocumentRecord[];
  files: DocumentFile[];
  /** The identity the reporter gave (one entry per time they gave it); null when not granted. */
  identity: Record<string, unknown>[] | null;
  timeline: DocumentTimelineEntry[];
  /**
   * Every exported item's signature state, in order (cases/record/item-seal.ts): a recipient sees which
   * items their authors' keys vouch for, which predate signatures, and which do not verify. `signature`
   * carries what any OpenPGP tool needs to check it again, with the key from `authorKeys`.
   */
  items?: {
    kind: string;
    author: string;
    on: string;
    verification: ItemVerification;
    signature?: ItemSignature;
  }[];
  /** The public keys that verify the items' signatures (armored), by fingerprint; case.json only. */
  authorKeys?: Record<string, string>;
}

/**
 * An item's signature in case.json, to check without Nolan (docs/architecture.md "Item signatures"): the
 * exact bytes signed (the item's id, case, scope, kind, author, time and its ciphertext's SHA-256, as
 * JSON) and the detached OpenPGP signature, both base64; the fingerprint of the key in `authorKeys` that
 * verifies it, or null if none does. Decoded into two files, `gpg --verify item.sig item.statement`.
 */
export interface ItemSignature {
  statement: string;
  signature: string;
  signedBy: string | null;
}

/** C0 controls other than tab and newline, DEL, and bidirectional overrides that could disguise text. */
const UNSAFE = /(?![\t\n])[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE, '\uFFFD');
}

/** Someone's words, shown literally whatever they contain. */
export function literal(text: string): string {
  const body = clean(text);
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${body}${body.endsWith('\n') ? '' : '\n'}${fence}`;
}

/**
 * Short values on one line (codes, dates, labels, names, file names): whitespace folded, and the characters
 * that could open a link, an image or HTML, or end a table cell, escaped — so a file name such as
 * `![x](https://…)` stays text. Emphasis is left alone (harmless), so names and dates read as they are.
 */
export function inline(text: string): string {
  return clean(text)
    .replace(/\s+/g, ' ')
    .replace(/[\\[\]<>|]/g, (c) => `\\${c}`);
}

function humanise(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function label(code: string | null): string {
  return code ? humanise(code) : '—';
}

/** A value of any shape: nested objects become headed bullet lists, every string a literal block. */
/** A value short enough to sit on its key's line: no line break, at most 80 characters. */
function shortValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && value.length <= 80 && !/[\r\n]/.test(value)) return inline(value) || '—';
  return undefined;
}

/**
 * A value of any shape: nested objects become bullet lists, a short one-line string sits after its key
 * (escaped like any inline value), anything longer is a literal block.
 */
function renderValue(value: unknown, depth = 0): string[] {
  const indent = '  '.repeat(depth);
  if (value === null || value === undefined) return [`${indent}—`];
  if (typeof value === 'string')
    return literal(value)
      .split('\n')
      .map((line) => `${indent}${line}`);
  if (typeof value === 'number' || typeof value === 'boolean') return [`${indent}${String(value)}`];
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`Item ${i + 1}`, item])
    : Object.entries(value as Record<string, unknown>).map(([key, item]) => [humanise(key), item]);
  if (entries.length === 0) return [`${indent}(none)`];
  return entries.flatMap(([key, item]) => {
    const short = shortValue(item);
    if (short !== undefined) return [`${indent}- ${inline(key)}: ${short}`];
    return ['', `${indent}- ${inline(key)}:`, '', ...renderValue(item, depth + 1), ''];
  });
}

/**
 * Folds runs of blank lines to one, outside literal blocks only: inside them every line is someone's
 * words and stays exactly as written.
 */
function tidy(lines: readonly string[]): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines.join('\n').split('\n')) {
    const trimmed = line.trim();
    if (fence === null) {
      const opening = /^(`{3,})text$/.exec(trimmed);
      if (opening) fence = opening[1] ?? null;
      else if (trimmed === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    } else if (trimmed === fence) fence = null;
    out.push(line);
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const QUESTION_LABELS = new Map(INTAKE_QUESTIONS.map((q) => [q.id, q]));
const IDENTITY_LABELS = new Map(IDENTITY_FIELDS.map((q) => [q.id, q.label]));

function answerText(questionId: string, value: unknown): string {
  const question = QUESTION_LABELS.get(questionId);
  if (typeof value !== 'string') return JSON.stringify(value, null, 2);
  return question?.options?.find((o) => o.value === value)?.label ?? value;
}

const RECORD_TITLES: Record<string, string> = {
  transition: 'Stage change',
  recusal: 'Recusal',
  identity_request: 'Identity request',
  identity_decision: 'Identity request decision',
  note: 'Note',
  feedback: 'Feedback to the reporter',
  recommendation: 'Recommendation',
  recommendation_status: 'Recommendation status changed',
};

function recordTitle(kind: string): string {
  return RECORD_TITLES[kind] ?? humanise(kind);
}

function recordLines(record: DocumentRecord): string[] {
  const data = record.data as Record<string, unknown> | null;
  if (record.kind === 'transition' && data && typeof data === 'object') {
    const {
      from,
      to,
      outcome,
      data: command,
    } = data as {
      from?: string;
      to?: string;
      outcome?: string | null;
      data?: Record<string, unknown>;
    };
    const details = command && typeof command === 'object' ? { ...command } : {};
    delete (details as { to?: unknown }).to;
    return [
      `From **${inline(label(from ?? null))}** to **${inline(label(to ?? null))}**${outcome ? `, outcome **${inline(label(outcome))}**` : ''}.`,
      '',
      ...(Object.keys(details).length ? renderValue(details) : []),
    ];
  }
  if (record.kind === 'evidence' && data && typeof data === 'object') {
    const { description, kind, files, ...rest } = data as {
      description?: unknown;
      kind?: unknown;
      files?: unknown;
    };
    return [
      `Kind: ${inline(typeof kind === 'string' ? humanise(kind) : '—')}.`,
      '',
      ...(typeof description === 'string' ? [literal(description), ''] : []),
      ...(Array.isArray(files) && files.length
        ? ['Files:', '', ...files.map((path) => `- ${inline(String(path))}`), '']
        : []),
      ...(Object.keys(rest).length ? renderValue(rest) : []),
    ];
  }
  if ((record.kind === 'note' || record.kind === 'recusal') && data && typeof data === 'object') {
    const { text, reason, ...rest } = data as { text?: unknown; reason?: unknown };
    const words = typeof text === 'string' ? text : typeof reason === 'string' ? reason : undefined;
    if (words !== undefined)
      return [literal(words), '', ...(Object.keys(rest).length ? renderValue(rest) : [])];
  }
  return renderValue(record.data);
}

export function renderCaseDocument(input: CaseDocumentInput): string {
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);
  const { summary } = input;
  const categoryTitle = isCategoryId(summary.category)
    ? getCategory(summary.category).title
    : summary.category;

  push(`# Case ${inline(input.reference)}`, '');
  push(
    `Exported from Nolan for ${inline(input.tenantName)} on ${inline(input.exportedAt.toISOString())} ` +
      `by ${inline(input.exportedBy.name)} (${inline(input.exportedBy.email)}).`,
    '',
    `This export is encrypted to the OpenPGP key ${inline(input.recipientFingerprint.toUpperCase())} and ` +
      `signed by the council's export signing key ${inline(input.signingFingerprint.toUpperCase())}. ` +
      'It holds what its recipient was allowed to read when it was made. It is confidential: ' +
      'keep it encrypted, and do not copy it anywhere the people it concerns could read it.',
    '',
  );

  push('## Summary', '');
  push('| | |', '|---|---|');
  const rows: [string, string][] = [
    ['Reference', input.reference],
    ['Category', categoryTitle],
    ['Status', label(summary.status)],
    ['Outcome', label(summary.outcome)],
    ['Received by', label(summary.channel)],
    ['Received on', summary.receivedOn],
    ['Acknowledgement due', summary.acknowledgementDue],
    ['Acknowledged on', summary.acknowledgedOn ?? '—'],
    ['Feedback due', summary.feedbackDue],
    ['Closed on', summary.closedOn ?? '—'],
  ];
  for (const [name, value] of rows) push(`| ${name} | ${inline(value)} |`);
  const held = (['report', 'internal', 'identity'] as const).filter((scope) => input.scopes[scope]);
  push('', `Parts of the case included: ${held.length ? held.join(', ') : 'none'}.`, '');

  push('## The report', '');
  if (!input.report) push('Not included: the exporter does not hold the report.', '');
  else {
    for (const [id, value] of Object.entries(input.report.answers)) {
      push(
        `### ${inline(QUESTION_LABELS.get(id)?.label ?? humanise(id))}`,
        '',
        literal(answerText(id, value)),
        '',
      );
    }
    const involves = input.report.involves.map((role) =>
      typeof role === 'string' && isStaffRole(role) ? STAFF_ROLE_LABELS[role] : String(role),
    );
    push('### People the reporter says this involves', '');
    push(involves.length ? involves.map((who) => `- ${inline(who)}`).join('\n') : 'None named.', '');
  }

  if (input.identity !== null) {
    push('## The reporter’s identity', '');
    if (input.identity.length === 0) push('The reporter has not given their identity.', '');
    for (const given of input.identity) {
      for (const [field, value] of Object.entries(given)) {
        push(`### ${inline(IDENTITY_LABELS.get(field) ?? humanise(field))}`, '', ...renderValue(value), '');
      }
    }
  }

  push('## Messages with the reporter', '');
  if (!input.scopes.report) push('Not included: the exporter does not hold the report.', '');
  else if (input.messages.length === 0) push('No messages.', '');
  input.messages.forEach((message, i) => {
    const direction =
      message.from === 'reporter' ? 'from the reporter' : `to the reporter, from ${message.author}`;
    push(`### ${i + 1}. ${inline(message.sentOn)}, ${inline(direction)}`, '', literal(message.text), '');
    if (message.verification === 'unverified')
      push('**Warning: this message’s signature does not verify; it may not be what it claims to be.**', '');
    if (message.attachments.length)
      push('Files sent with it:', '', ...message.attachments.map((path) => `- ${inline(path)}`), '');
  });

  push('## Notes, records and decisions', '');
  if (!input.scopes.internal)
    push('Internal notes are not included: the exporter does not hold the internal part of the case.', '');
  if (input.records.length === 0) push('None.', '');
  input.records.forEach((record, i) => {
    push(
      `### ${i + 1}. ${inline(record.on)}, ${inline(recordTitle(record.kind))} by ${inline(record.author)}`,
      '',
    );
    push(...recordLines(record), '');
    if (record.verification === 'unverified')
      push('**Warning: this record’s signature does not verify; it may not be what it claims to be.**', '');
  });

  push('## Evidence and files', '');
  if (input.files.length === 0) push('No files.', '');
  else {
    push('| File in this export | Original name | Type | Size (bytes) | Added by | Added on |');
    push('|---|---|---|---|---|---|');
    for (const file of input.files) {
      push(
        `| ${inline(file.path)} | ${inline(file.name)} | ${inline(file.mediaType)} | ${file.size} | ${inline(file.addedBy)} | ${inline(file.addedOn)} |`,
      );
    }
    push('');
  }

  push('## Timeline', '');
  if (input.timeline.length === 0) push('No events.', '');
  else {
    push('| When | What |', '|---|---|');
    for (const entry of input.timeline) push(`| ${inline(entry.on)} | ${inline(entry.text)} |`);
    push('');
  }
  return tidy(out);
}
