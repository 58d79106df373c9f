import { strFromU8, unzipSync } from 'fflate';
import { AppError } from '../errors/app-error';
import { DEFAULT_ATTACHMENT_POLICY, STAFF_EVIDENCE_POLICY } from './attachment-policy';
import { sanitiseAttachment } from './attachment-sanitiser';
import { wordDocumentWithAuthor } from './testing/attachment-fixtures';

const EMAIL = [
  'From: Jane Smith <jane.smith@example.gov.uk>',
  'To: Finance <finance@example.gov.uk>',
  'Date: Mon, 2 Nov 2026 09:14:00 +0000',
  'Received: from mail.example.gov.uk (10.0.0.5)',
  'Subject: Splitting the invoices',
  '',
  'Please split it into three so it stays under the tender limit.',
  '',
].join('\r\n');

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error('expected a refusal');
  return error;
}

describe('staff evidence: Word and e-mail', () => {
  it('takes a Word document, stripped of its author, and keeps its words', async () => {
    const file = await sanitiseAttachment(
      { bytes: wordDocumentWithAuthor(), declaredName: 'minutes.docx' },
      STAFF_EVIDENCE_POLICY,
    );
    expect(file).toMatchObject({
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      name: 'minutes.docx',
      strippedMetadata: true,
    });
    const text = Object.values(unzipSync(file.bytes))
      .map((p) => strFromU8(p))
      .join('');
    expect(text).not.toContain('Jane Smith');
    expect(text).toContain('Invoices were split to avoid tender.');
  });

  it('keeps an e-mail whole, headers and all, on purpose: they are the evidence', async () => {
    const bytes = Buffer.from(EMAIL);
    const file = await sanitiseAttachment(
      { bytes, declaredName: 'invoice email.eml' },
      STAFF_EVIDENCE_POLICY,
    );
    expect(file).toMatchObject({
      mediaType: 'message/rfc822',
      name: 'invoice email.eml',
      strippedMetadata: false,
    });
    expect(file.bytes.equals(bytes)).toBe(true);
  });

  it('refuses Outlook .msg with a 415 that says to save it as .eml or PDF', async () => {
    // A compound file (the .msg container): its signature is all file-type needs.
    const cfb = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600)]);
    const error = await refusal(
      sanitiseAttachment({ bytes: cfb, declaredName: 'Re invoices.msg' }, STAFF_EVIDENCE_POLICY),
    );
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toBe(
      '"Re invoices.msg" is an Outlook message (.msg), which we cannot read to check it. In Outlook, save the message as an .eml file (drag it to a folder, or File > Save As) or print it to PDF, and upload that instead.',
    );
  });

  it('refuses a damaged Word document with a 415, not a 500', async () => {
    const damaged = wordDocumentWithAuthor().subarray(0, 400);
    const error = await refusal(
      sanitiseAttachment({ bytes: Buffer.from(damaged), declaredName: 'broken.docx' }, STAFF_EVIDENCE_POLICY),
    );
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('still refuses Word from a reporter, with advice', async () => {
    const word = await refusal(
      sanitiseAttachment(
        { bytes: wordDocumentWithAuthor(), declaredName: 'minutes.docx' },
        DEFAULT_ATTACHMENT_POLICY,
      ),
    );
    expect(word.message).toContain('Save the document as a PDF');
  });

  it('stores a reporter’s e-mail as message/rfc822 too, under its .eml name, as staff evidence is', async () => {
    const bytes = Buffer.from(EMAIL);
    const file = await sanitiseAttachment(
      { bytes, declaredName: 'forwarded.eml' },
      DEFAULT_ATTACHMENT_POLICY,
    );
    expect(file).toMatchObject({
      mediaType: 'message/rfc822',
      name: 'forwarded.eml',
      strippedMetadata: false,
    });
    expect(file.bytes.equals(bytes)).toBe(true);
  });

  it('gives a reporter the same advice for an Outlook .msg', async () => {
    const cfb = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600)]);
    const error = await refusal(
      sanitiseAttachment({ bytes: cfb, declaredName: 'Re invoices.msg' }, DEFAULT_ATTACHMENT_POLICY),
    );
    expect(error.message).toContain('save the message as an .eml file');
  });
});
