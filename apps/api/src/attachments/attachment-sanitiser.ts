/**
 * Checks an uploaded file and strips what could identify the reporter before the caller encrypts it
 * (docs/architecture.md "Encryption model"). A photo's EXIF holds the phone's GPS position and owner; a PDF's
 * document information holds the author's login name. The type is sniffed from the bytes, never taken
 * from the name or the browser's content type, and only types we can clean are accepted.
 *
 * Every refusal is an AppError (400, 413 or 415) naming the file so the reporter knows which one to
 * fix; whatever sharp or pdf-lib throw on hostile input becomes a 415, never a 500. Nothing here logs:
 * names and contents are case content.
 */
import { isUtf8 } from 'node:buffer';
import { fromBuffer, type FileTypeResult } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../errors/app-error';
import { displayName, nameForMessage } from './attachment-name';
import {
  ACCEPTED_TYPES,
  type AcceptedType,
  type AcceptedTypeId,
  acceptedTypesSentence,
  type AttachmentPolicy,
  DEFAULT_ATTACHMENT_POLICY,
  formatMegabytes,
} from './attachment-policy';
import { DocxUnreadableError, scrubDocx } from './docx-scrubber';
import { scrubPdf } from './pdf-scrubber';

export interface AttachmentInput {
  bytes: Buffer;
  /** As the browser sent it: untrusted, possibly a full path. */
  declaredName: string;
}

export interface SanitisedAttachment {
  bytes: Buffer;
  mediaType: string;
  /** Safe to display; still case content, to be encrypted with the bytes. */
  name: string;
  size: number;
  /** True when the file was rewritten without its metadata (images, PDFs); false for plain text. */
  strippedMetadata: boolean;
}

/** One file: size, then type, then cleaning. `position` (1-based) names a file that has no usable name. */
export async function sanitiseAttachment(
  input: AttachmentInput,
  policy: AttachmentPolicy = DEFAULT_ATTACHMENT_POLICY,
  position = 1,
): Promise<SanitisedAttachment> {
  const shownAs = nameForMessage(input.declaredName, position);
  assertSize(input, policy, shownAs);
  const type = await classify(input, policy, shownAs);
  const { bytes, strippedMetadata } = await clean(input.bytes, type, policy, shownAs);
  return {
    bytes,
    mediaType: type.mediaType,
    name: displayName(input.declaredName, type, position),
    size: bytes.length,
    strippedMetadata,
  };
}

/**
 * The files of one report or message, in order. Every limit is checked before any file is decoded,
 * and files are cleaned one at a time so a request holds one decoded image in memory at most.
 */
export async function sanitiseAll(
  files: readonly AttachmentInput[],
  policy: AttachmentPolicy = DEFAULT_ATTACHMENT_POLICY,
): Promise<SanitisedAttachment[]> {
  if (files.length > policy.maxFiles) {
    // 413, as multer's own file-count limit answers, so the reporter sees one behaviour either way.
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `You attached ${files.length} files; the limit is ${policy.maxFiles} per report or message.`,
    );
  }
  files.forEach((file, index) => assertSize(file, policy, nameForMessage(file.declaredName, index + 1)));
  const total = files.reduce((sum, file) => sum + file.bytes.length, 0);
  if (total > policy.maxTotalBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `Your files add up to ${formatMegabytes(total)}; the limit is ${formatMegabytes(policy.maxTotalBytes)} in total.`,
    );
  }
  const results: SanitisedAttachment[] = [];
  for (const [index, file] of files.entries()) {
    results.push(await sanitiseAttachment(file, policy, index + 1));
  }
  return results;
}

function assertSize(input: AttachmentInput, policy: AttachmentPolicy, shownAs: string): void {
  if (input.bytes.length === 0) throw new AppError('INVALID_INPUT', `"${shownAs}" is empty.`);
  if (input.bytes.length > policy.maxFileBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `"${shownAs}" is ${formatMegabytes(input.bytes.length)}; the limit is ${formatMegabytes(policy.maxFileBytes)} per file.`,
    );
  }
}

/** Sniffed types we refuse with advice, because their metadata cannot be stripped reliably. */
const OFFICE_SNIFFED = new Set(['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'rtf', 'cfb']);
/** Declared extensions that make a generic zip or compound file an office document for the advice. */
const OFFICE_DECLARED = new Set([
  ...['doc', 'docx', 'docm', 'dot', 'dotx', 'xls', 'xlsx', 'xlsm', 'ppt', 'pptx', 'pps', 'ppsx'],
  ...['odt', 'ods', 'odp', 'rtf', 'pages', 'numbers', 'key'],
]);
/**
 * Formats that can be pure ASCII yet are never stored as plain text: those with parts a reader does not
 * see (an RTF \author, SVG metadata, a PostScript %%For), and PDF, which a narrower policy may refuse.
 */
const NEVER_PLAIN_TEXT = new Set(['rtf', 'xml', 'ps', 'eps', 'ai', 'pdf']);
const HEIC_SNIFFED = new Set([
  'heic',
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
]);

async function sniff(bytes: Buffer): Promise<FileTypeResult | undefined> {
  try {
    return await fromBuffer(bytes);
  } catch {
    // file-type 16 throws EndOfStreamError on a short file whose first bytes look like a signature.
    return undefined;
  }
}

/**
 * UTF-8 without NUL bytes. `strict` also refuses every other control character except tab, line
 * breaks, form feed and escape, for content whose first bytes happened to match a binary signature.
 */
function isPlainText(bytes: Buffer, strict: boolean): boolean {
  if (!isUtf8(bytes) || bytes.includes(0)) return false;
  if (!strict) return true;
  return !bytes.some((b) => (b < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(b)) || b === 0x7f);
}

async function classify(
  input: AttachmentInput,
  policy: AttachmentPolicy,
  shownAs: string,
): Promise<AcceptedType> {
  const accepts = (id: AcceptedTypeId) => policy.acceptedTypes.includes(id);
  const sniffed = await sniff(input.bytes);
  if (sniffed !== undefined) {
    const type = policy.acceptedTypes
      .map((id) => ACCEPTED_TYPES[id])
      .find((t) => t.mediaType === sniffed.mime);
    if (type !== undefined) return type;
  }
  const declaredExtension = input.declaredName.split('.').pop()?.toLowerCase() ?? '';
  // An e-mail is text with no signature of its own: its name says which it is. Wherever plain text is
  // accepted (a reporter's files) an e-mail is too, and it is stored as what it is, message/rfc822 with
  // its .eml name, exactly as staff evidence stores one: headers and all, since nothing in them is
  // hidden (the reporter's evidence page warns that they carry addresses; docs/threat-model.md "Council IT").
  if (
    (accepts('eml') || accepts('text')) &&
    declaredExtension === 'eml' &&
    sniffed === undefined &&
    isPlainText(input.bytes, false)
  ) {
    return ACCEPTED_TYPES.eml;
  }
  // Text has no signature; but prose can begin like one ("BM…" is a bitmap, "ID3…" an MP3), so text
  // that matched a binary signature is still text if it holds no control characters at all.
  if (accepts('text')) {
    if (sniffed === undefined && isPlainText(input.bytes, false)) return ACCEPTED_TYPES.text;
    if (sniffed !== undefined && !NEVER_PLAIN_TEXT.has(sniffed.ext) && isPlainText(input.bytes, true)) {
      return ACCEPTED_TYPES.text;
    }
  }
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', refusal(input.declaredName, sniffed, policy, shownAs));
}

function refusal(
  declaredName: string,
  sniffed: FileTypeResult | undefined,
  policy: AttachmentPolicy,
  shownAs: string,
): string {
  const declaredExtension = declaredName.split('.').pop()?.toLowerCase() ?? '';
  if (
    (policy.acceptedTypes.includes('eml') || policy.acceptedTypes.includes('text')) &&
    declaredExtension === 'msg'
  ) {
    return (
      `"${shownAs}" is an Outlook message (.msg), which we cannot read to check it. In Outlook, save the ` +
      'message as an .eml file (drag it to a folder, or File > Save As) or print it to PDF, and upload that instead.'
    );
  }
  const looksOffice =
    (sniffed !== undefined && OFFICE_SNIFFED.has(sniffed.ext)) ||
    ((sniffed === undefined || sniffed.ext === 'zip') && OFFICE_DECLARED.has(declaredExtension));
  if (looksOffice) {
    return (
      `"${shownAs}" is a Word, Excel or other office document. We cannot reliably remove the hidden ` +
      'details these contain, such as the author’s name. Save the document as a PDF and upload that instead.'
    );
  }
  if (sniffed !== undefined && (HEIC_SNIFFED.has(sniffed.ext) || HEIC_SNIFFED.has(sniffed.mime))) {
    return (
      `"${shownAs}" is a HEIC photo, which we cannot accept yet. Export or share it as a JPEG and upload ` +
      'that instead (on an iPhone, sharing the photo by e-mail or choosing “Most Compatible” under ' +
      'Settings > Camera > Formats gives a JPEG).'
    );
  }
  return `"${shownAs}" is not a type of file we accept. You can upload: ${acceptedTypesSentence(policy)}.`;
}

async function clean(
  bytes: Buffer,
  type: AcceptedType,
  policy: AttachmentPolicy,
  shownAs: string,
): Promise<{ bytes: Buffer; strippedMetadata: boolean }> {
  try {
    switch (type.id) {
      case 'jpeg':
      case 'png':
      case 'webp':
      case 'gif':
        return { bytes: await reencodeImage(bytes, type.id, policy, shownAs), strippedMetadata: true };
      case 'pdf':
        return { bytes: await cleanPdf(bytes, shownAs), strippedMetadata: true };
      case 'text':
        return { bytes, strippedMetadata: false };
      case 'docx':
        return { bytes: scrubDocx(bytes), strippedMetadata: true };
      case 'eml':
        return { bytes, strippedMetadata: false };
      default:
        return assertUnreachable(type.id);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw tooManyPixels(shownAs, policy);
    if (type.id === 'pdf') throw pdfUnreadable(shownAs);
    if (error instanceof DocxUnreadableError) {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `"${shownAs}" could not be read as a Word document. It may be damaged; try saving it again, or save it as a PDF.`,
      );
    }
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `"${shownAs}" could not be read as a ${type.label}. It may be damaged or incomplete; try saving or exporting it again.`,
    );
  }
}

type ImageTypeId = 'jpeg' | 'png' | 'webp' | 'gif';

/**
 * Decodes and re-encodes in the same format. sharp writes no EXIF, XMP, IPTC or ICC profile unless told
 * to keep them (colours are converted to sRGB instead), so the output carries pixels only. `.rotate()`
 * first turns the pixels the way the EXIF orientation said, since that tag goes with the rest.
 * Animated GIF and WebP keep every frame.
 */
async function reencodeImage(
  bytes: Buffer,
  id: ImageTypeId,
  policy: AttachmentPolicy,
  shownAs: string,
): Promise<Buffer> {
  const animated = id === 'gif' || id === 'webp';
  // The header alone gives the canvas; refuse a decompression bomb before anything is decoded.
  const header = await sharp(bytes, { animated }).metadata();
  if (header.format !== id) throw new Error('sharp and file-type disagree on the format');
  if ((header.width ?? 0) * (header.height ?? 0) > policy.maxImagePixels)
    throw tooManyPixels(shownAs, policy);

  // failOn 'error' refuses a truncated or corrupt image but tolerates the harmless warnings some
  // cameras' JPEGs raise, which the default ('warning') would turn into a refusal.
  const image = sharp(bytes, { animated, failOn: 'error', limitInputPixels: policy.maxImagePixels }).rotate();
  switch (id) {
    case 'jpeg':
      return image.jpeg({ quality: 90 }).toBuffer();
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp({ quality: 90 }).toBuffer();
    case 'gif':
      return image.gif().toBuffer();
    default:
      return assertUnreachable(id);
  }
}

async function cleanPdf(bytes: Buffer, shownAs: string): Promise<Buffer> {
  const result = await scrubPdf(bytes);
  if (!result.ok) throw pdfUnreadable(shownAs);
  return result.bytes;
}

function tooManyPixels(shownAs: string, policy: AttachmentPolicy): AppError {
  const megapixels = Math.round(policy.maxImagePixels / 1_000_000);
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `"${shownAs}" is too large an image to process; the limit is ${megapixels} megapixels. Resize it and try again.`,
  );
}

function pdfUnreadable(shownAs: string): AppError {
  return new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `"${shownAs}" could not be read as a PDF document: it is password-protected or damaged. Remove the password, or print it to a new PDF, and upload that instead.`,
  );
}

function assertUnreachable(value: never): never {
  throw new Error(`Unhandled attachment type: ${String(value)}`);
}
