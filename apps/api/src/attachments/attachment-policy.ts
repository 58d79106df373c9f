/**
 * What a reporter may attach to a report or a message. A type is accepted only if we can take every
 * hidden detail out of it before it is encrypted: images are re-encoded without their EXIF, XMP, IPTC
 * and ICC data, PDFs lose their document information, XMP and annotation authors, and plain text has
 * nothing hidden to lose. Office documents are refused to reporters because their metadata (author,
 * company, revision history, comments) lives in too many places to strip reliably; staff evidence takes
 * Word's .docx, whose known places docx-scrubber.ts empties, and e-mail (STAFF_EVIDENCE_POLICY).
 *
 * HEIC/HEIF is not here: the prebuilt sharp binaries carry libheif with the AV1 codec only, because
 * HEVC is patent-encumbered, so an iPhone photo cannot be decoded. We refuse it with advice instead.
 *
 * One policy for now; the shape is what a per-tenant policy will have.
 */

export type AcceptedTypeId = 'jpeg' | 'png' | 'webp' | 'gif' | 'pdf' | 'text' | 'docx' | 'eml';

export interface AcceptedType {
  id: AcceptedTypeId;
  /** The type we store and serve the file as; also what file-type reports when it sniffs one. */
  mediaType: string;
  /** Lower case, without the dot. The first is the one we give a file whose name lacks one. */
  extensions: readonly string[];
  /** For people: in the form's hint and in refusals. */
  label: string;
}

export const ACCEPTED_TYPES: Readonly<Record<AcceptedTypeId, AcceptedType>> = {
  jpeg: { id: 'jpeg', mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG image' },
  png: { id: 'png', mediaType: 'image/png', extensions: ['png'], label: 'PNG image' },
  webp: { id: 'webp', mediaType: 'image/webp', extensions: ['webp'], label: 'WebP image' },
  gif: { id: 'gif', mediaType: 'image/gif', extensions: ['gif'], label: 'GIF image' },
  pdf: { id: 'pdf', mediaType: 'application/pdf', extensions: ['pdf'], label: 'PDF document' },
  text: {
    id: 'text',
    mediaType: 'text/plain',
    extensions: ['txt', 'text', 'csv', 'md', 'log'],
    label: 'Plain text (UTF-8)',
  },
  // Staff evidence only (STAFF_EVIDENCE_POLICY). A .docx loses its properties and every author on its
  // changes and comments (docx-scrubber.ts).
  docx: {
    id: 'docx',
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    label: 'Word document (.docx)',
  },
  // Staff evidence only, kept as it is on purpose: an e-mail's headers (who sent it to whom, when, by
  // which servers) are usually what makes it evidence, and staff evidence is never shown to a reporter.
  eml: { id: 'eml', mediaType: 'message/rfc822', extensions: ['eml'], label: 'E-mail message (.eml)' },
};

export interface AttachmentPolicy {
  /** Per file, as uploaded. */
  maxFileBytes: number;
  /** Per report or per message. */
  maxFiles: number;
  /** All the files of one report or message together, as uploaded. */
  maxTotalBytes: number;
  /**
   * Decoded pixels per image (all frames of an animation together). A small file can claim a huge
   * canvas; this refuses it before sharp allocates the memory. 100 MP covers the full-resolution
   * mode of phone cameras up to 108 MP and costs at most about 400 MB to decode.
   */
  maxImagePixels: number;
  acceptedTypes: readonly AcceptedTypeId[];
}

const MB = 1024 * 1024;

export const DEFAULT_ATTACHMENT_POLICY: AttachmentPolicy = Object.freeze({
  maxFileBytes: 20 * MB,
  maxFiles: 10,
  maxTotalBytes: 50 * MB,
  maxImagePixels: 100_000_000,
  acceptedTypes: Object.freeze(['jpeg', 'png', 'webp', 'gif', 'pdf', 'text'] as const),
});

/**
 * What staff may attach as evidence: the reporter's types and Word documents (stripped) and e-mails
 * (kept whole, headers and all, deliberately: they are the evidence). Never used for anything a
 * reporter uploads or downloads. Outlook's .msg is refused with advice: nothing here can read one.
 */
export const STAFF_EVIDENCE_POLICY: AttachmentPolicy = Object.freeze({
  ...DEFAULT_ATTACHMENT_POLICY,
  acceptedTypes: Object.freeze(['jpeg', 'png', 'webp', 'gif', 'pdf', 'text', 'docx', 'eml'] as const),
});

export interface AttachmentPolicyDescription {
  maxFileBytes: number;
  maxFiles: number;
  maxTotalBytes: number;
  acceptedTypes: { mediaType: string; extensions: string[]; label: string }[];
}

/** What the form shows and puts in the file input's `accept`; the pixel cap is ours alone. */
export function describePolicy(policy: AttachmentPolicy): AttachmentPolicyDescription {
  return {
    maxFileBytes: policy.maxFileBytes,
    maxFiles: policy.maxFiles,
    maxTotalBytes: policy.maxTotalBytes,
    acceptedTypes: policy.acceptedTypes.map((id) => {
      const { mediaType, extensions, label } = ACCEPTED_TYPES[id];
      return { mediaType, extensions: [...extensions], label };
    }),
  };
}

/** "20 MB", "23.1 MB": rounded up, so a file just over the limit never reads as equal to it. */
export function formatMegabytes(bytes: number): string {
  // bytes * 10 / 2^20 is exact in floating point, so the ceiling never rounds 23.1 up to 23.2.
  const tenths = Math.ceil((bytes * 10) / MB) / 10;
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)} MB`;
}

/** "JPEG image, PNG image, PDF document or Plain text (UTF-8)", for refusals. */
export function acceptedTypesSentence(policy: AttachmentPolicy): string {
  const labels = policy.acceptedTypes.map((id) => ACCEPTED_TYPES[id].label);
  return labels.length <= 1
    ? (labels[0] ?? 'nothing')
    : `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`;
}
