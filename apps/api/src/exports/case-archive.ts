/**
 * The zip inside a case export: case.md, case.json and every file of the case under attachments/ (fflate, in memory;
 * a case holds at most a few attachment allowances, so the whole archive fits comfortably). Attachments
 * are stored, not deflated: they are mostly JPEG, PNG and PDF, already compressed, and storing them keeps
 * an export of 50 MB of evidence to a fraction of a second.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

export interface ArchiveFile {
  name: string;
  bytes: Uint8Array;
}

/** Characters no file name should carry into someone's file system: separators, controls, reserved. */
const UNSAFE_IN_NAME = /[/\\\p{Cc}<>:"|?*\u202a-\u202e\u2066-\u2069]/gu;

/**
 * The path of the n-th file (1-based) inside the zip. Names were cleaned at upload, but this is the last
 * step before someone's disk, so it is cleaned again: no directories ("zip slip"), no leading dots, and the
 * number in front keeps two files of the same name apart.
 */
export function archivePath(index: number, name: string): string {
  const safe =
    name
      .replace(UNSAFE_IN_NAME, '_')
      .replace(/^[.\s]+/, '')
      .trim()
      .slice(0, 120) || 'file';
  return `attachments/${String(index).padStart(2, '0')}-${safe}`;
}

/** case.md (for people), case.json (for tools) and the files under attachments/. */
export function buildArchive(
  document: { markdown: string; json: string },
  files: readonly ArchiveFile[],
  at: Date,
): Uint8Array {
  const entries: Zippable = {
    'case.md': [strToU8(document.markdown), { level: 6, mtime: at }],
    'case.json': [strToU8(document.json), { level: 6, mtime: at }],
  };
  for (const file of files) entries[file.name] = [file.bytes, { level: 0, mtime: at }];
  return zipSync(entries);
}
