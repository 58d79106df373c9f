/**
 * What the admin pages share: reading form fields (one value, or the ticked boxes of a group), role names
 * in words, fingerprints in groups of four, and placing the admin API's messages on a form. The admin
 * API starts each validation message with the path of the value it is about ("routes.s151_officer.leads:
 * …", "overrides.fraud_theft:substantiated.years must be …", "email must be …"), so a message goes to the
 * field that path belongs to, with the field's own words in place of the path and role names in place
 * of role ids.
 */
import { STAFF_ROLE_LABELS, STAFF_ROLES, type StaffRole } from '@nolan/domain';
import type { FormErrors } from '../staff/form-errors';

export type Form = Record<string, unknown>;

/** One text field, trimmed ('' when missing or repeated). */
export function textField(form: Form, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The ticked boxes of a checkbox group (a urlencoded form sends one value per box, so one box arrives as a
 * string and several as an array): the allowed values in the order given, and whatever else was sent.
 */
export function checkedValues(
  form: Form,
  name: string,
  allowed: readonly string[],
): { values: string[]; unknown: string[] } {
  const raw = form[name];
  const sent = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  return {
    values: allowed.filter((value) => sent.includes(value)),
    unknown: sent.filter((value) => !allowed.includes(value)),
  };
}

export function roleLabel(role: string): string {
  return STAFF_ROLE_LABELS[role as StaffRole] ?? role;
}

/** Roles in words, in the given order: "Monitoring officer, Investigator". */
export function roleList(roles: readonly string[], empty = 'None'): string {
  return roles.length ? roles.map(roleLabel).join(', ') : empty;
}

/** An OpenPGP fingerprint as people read it out: upper-case hex in groups of four ("3A4F 09C1 …"). */
export function formatFingerprint(fingerprint: string | null | undefined): string {
  const hex = (fingerprint ?? '').replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/.{1,4}/g)?.join(' ') ?? '';
}

/** Role ids in a message, longest first so "deputy_monitoring_officer" is not read as "monitoring_officer". */
const ROLE_IDS = [...STAFF_ROLES].sort((a, b) => b.length - a.length);
const ROLE_ID = new RegExp(`(?<![A-Za-z0-9_])(${ROLE_IDS.join('|')})(?![A-Za-z0-9_])`, 'g');

/** A message for people: role ids become role names. */
export function withRoleNames(text: string): string {
  return text.replace(ROLE_ID, (role) => roleLabel(role));
}

export interface PathField {
  /** The HTML id the error summary links to. */
  readonly id: string;
  /** The API's paths for it, each with the words that replace it in a message. */
  readonly paths: readonly { path: string; label: string }[];
}

/**
 * The API's messages on a form: each goes to the field whose path it starts with (the longest match), the
 * path replaced by the field's words; one that starts with no known path goes to `fallbackId` as it is.
 */
export function placeMessages(
  messages: readonly string[],
  fields: readonly PathField[],
  fallbackId: string,
): FormErrors {
  const summary: { text: string; href: string }[] = [];
  const inline: Record<string, { text: string }> = {};
  for (const message of messages) {
    let best: { id: string; path: string; label: string } | undefined;
    for (const field of fields)
      for (const { path, label } of field.paths)
        if (startsWithPath(message, path) && (!best || path.length > best.path.length))
          best = { id: field.id, path, label };
    let text: string;
    if (best) {
      const rest = message.slice(best.path.length);
      text = rest.startsWith(':') ? `${best.label}: ${rest.slice(1).trim()}` : `${best.label}${rest}`;
    } else text = message;
    text = capitalise(withRoleNames(text));
    const id = best?.id ?? fallbackId;
    summary.push({ text, href: `#${id}` });
    inline[id] ??= { text };
  }
  return { summary, fields: inline };
}

function startsWithPath(message: string, path: string): boolean {
  if (!message.startsWith(path)) return false;
  const next = message.charAt(path.length);
  return next === '' || next === ':' || next === ' ';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
