/**
 * The file input's `accept` for a reporter's files: every type the council's attachment policy lists,
 * by media type and extension, and — wherever plain text is accepted — an e-mail saved as .eml, which
 * the API stores as message/rfc822 (apps/api/src/attachments/attachment-sanitiser.ts). The evidence
 * page warns that an e-mail file keeps its addresses and headers.
 */
import type { IntakeForm } from '../api/reporter-api';

export function acceptOf(limits: IntakeForm['attachments']): string {
  const types = limits.acceptedTypes.flatMap((t) => [t.mediaType, ...t.extensions.map((e) => `.${e}`)]);
  const email =
    limits.acceptedTypes.some((t) => t.mediaType === 'text/plain') && !types.includes('.eml')
      ? ['message/rfc822', '.eml']
      : [];
  return [...types, ...email].join(',');
}
