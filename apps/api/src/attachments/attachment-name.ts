/**
 * The name an attachment is shown and downloaded under. It comes from the reporter's device, so it is
 * untrusted: a path (`../../etc/passwd`, `C:\Users\jsmith\Desktop\x.jpg`, which would also name them),
 * control characters, bidirectional overrides that make `gpj.exe` display as `exe.jpg`, or no name at
 * all. The name is case content (the caller encrypts it); nothing here logs it.
 */
import { extensions as SNIFFABLE_EXTENSIONS } from 'file-type';
import type { AcceptedType } from './attachment-policy';

export const MAX_NAME_LENGTH = 120;

/** C0/C1 controls and DEL; bidi marks, embeddings, overrides and isolates; line and paragraph separators. */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/gu;

/** Refused in Windows file names, and `"` breaks a careless Content-Disposition header. */
const RESERVED = /[<>:"|?*]/g;

/**
 * Extensions that name a file type, so a wrong one is replaced rather than kept in front of the right
 * one ("holiday.jpg" holding PNG bytes becomes "holiday.png", but "Minutes 12.03.2024" keeps its "2024").
 */
const TYPE_EXTENSIONS: ReadonlySet<string> = new Set<string>([
  ...SNIFFABLE_EXTENSIONS,
  ...['jpeg', 'jpe', 'jfif', 'heif', 'tiff', 'svg', 'txt', 'text', 'csv', 'md', 'log', 'json'],
  ...[
    'doc',
    'dot',
    'docm',
    'xls',
    'xlsm',
    'ppt',
    'pps',
    'pages',
    'numbers',
    'key',
    'htm',
    'html',
    'eml',
    'msg',
  ],
]);

function basename(declared: string): string {
  return declared.normalize('NFC').split(/[/\\]/).pop() ?? '';
}

function clean(text: string): string {
  // Tabs and line breaks become spaces first, so "line\nbreak" reads "line break", not "linebreak".
  return text
    .replace(/[\t\n\v\f\r\u2028\u2029]/g, ' ')
    .replace(INVISIBLE_OR_CONTROL, '')
    .replace(RESERVED, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** No leading dots (hidden files, `..`), no trailing dots or spaces (Windows drops them). */
function trimDots(text: string): string {
  return text.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
}

/** By code point, so a character outside the BMP is never cut in half. */
function truncate(text: string, length: number): string {
  const codePoints = Array.from(text);
  return codePoints.length <= length ? text : codePoints.slice(0, length).join('');
}

function usable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** The file as a refusal names it, before we know its type: "File 3" when the name is unusable. */
export function nameForMessage(declaredName: string, position: number): string {
  const name = trimDots(truncate(trimDots(clean(basename(declaredName))), MAX_NAME_LENGTH));
  return usable(name) ? name : `File ${position}`;
}

/**
 * The stored name: the declared basename made safe, at most 120 characters, ending in an extension of
 * the type the bytes really are; `evidence-<position>.<ext>` when nothing usable is left.
 */
export function displayName(declaredName: string, type: AcceptedType, position: number): string {
  const name = clean(basename(declaredName));
  let stem = name;
  let extension = type.extensions[0] ?? type.id;
  const dot = name.lastIndexOf('.');
  if (dot >= 0) {
    const given = name.slice(dot + 1);
    if (type.extensions.includes(given.toLowerCase())) {
      stem = name.slice(0, dot);
      extension = given;
    } else if (TYPE_EXTENSIONS.has(given.toLowerCase())) {
      stem = name.slice(0, dot);
    }
  }
  stem = trimDots(truncate(trimDots(stem), MAX_NAME_LENGTH - extension.length - 1));
  return `${usable(stem) ? stem : `evidence-${position}`}.${extension}`;
}
