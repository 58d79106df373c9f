/**
 * Issue #19: staff evidence takes Word and e-mail (apps/api/src/attachments STAFF_EVIDENCE_POLICY). A
 * .docx is stored without its author (docx-scrubber.ts), an .eml is stored whole with its headers, an
 * Outlook .msg is a 415 that says what to do instead, and a reporter's message still refuses Word.
 * A reporter's .eml is stored the same way, as message/rfc822 (the evidence page warns them that it
 * keeps its addresses and headers), and their .msg gets the same advice.
 */
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import { wordDocumentWithAuthor } from '../../apps/api/src/attachments/testing/attachment-fixtures';
import { CaseWorld } from '../support/case-fixtures';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';

const EMAIL =
  'From: Jane Smith <jane.smith@example.gov.uk>\r\nTo: finance@example.gov.uk\r\n' +
  'Date: Mon, 2 Nov 2026 09:14:00 +0000\r\nSubject: Splitting the invoices\r\n\r\nSplit it into three.\r\n';

describe('Word and e-mail as staff evidence', () => {
  let world: CaseWorld;

  beforeAll(async () => {
    world = await CaseWorld.start('evword', { mo: ['monitoring_officer'] });
  }, 120_000);
  afterAll(async () => world?.close());

  const token = () => world.tokens['mo'] as string;
  const upload = (reference: string) =>
    request(world.server).post(`/api/v1/cases/${reference}/evidence`).auth(token(), { type: 'bearer' });
  const download = (reference: string, id: string) =>
    request(world.server)
      .get(`/api/v1/cases/${reference}/files/${id}`)
      .auth(token(), { type: 'bearer' })
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('stores a Word document without its author and an e-mail with its headers, for staff to download', async () => {
    const { reference } = await world.submit();
    const added = await upload(reference)
      .field('description', 'The e-mail and the minutes')
      .field('kind', 'correspondence')
      .attach('files', wordDocumentWithAuthor(), 'minutes.docx')
      .attach('files', Buffer.from(EMAIL), 'invoice email.eml')
      .expect(201);
    expect(added.body.files).toEqual([
      expect.objectContaining({
        name: 'minutes.docx',
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      }),
      expect.objectContaining({ name: 'invoice email.eml', mediaType: 'message/rfc822' }),
    ]);
    const [word, email] = added.body.files as { id: string }[];
    const docx = (await download(reference, word?.id as string).expect(200)).body as Buffer;
    const text = Object.values(unzipSync(docx))
      .map((p) => strFromU8(p))
      .join('');
    expect(text).not.toContain('Jane Smith');
    expect(text).toContain('Invoices were split to avoid tender.');
    const eml = (await download(reference, email?.id as string).expect(200)).body as Buffer;
    expect(eml.toString('utf8')).toBe(EMAIL);
  });

  it('refuses an Outlook .msg with a 415 saying to save it as .eml or PDF; a reporter still cannot send Word', async () => {
    const { reference, receipt } = await world.submit();
    const cfb = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600)]);
    const refused = await upload(reference)
      .field('description', 'The e-mail')
      .field('kind', 'correspondence')
      .attach('files', cfb, 'Re invoices.msg')
      .expect(415);
    expect(refused.body.message).toContain('save the message as an .eml file');
    expect(refused.body.message).toContain('print it to PDF');

    // A reporter's message still refuses Word, with the advice to save it as a PDF.
    const token = await signInWithReceipt(world.server, world.tenant.slug, receipt);
    const reporter = await request(world.server)
      .post('/api/v1/reporter/case/messages')
      .auth(token, { type: 'bearer' })
      .field('message', JSON.stringify({ text: 'The minutes' }))
      .attach('files', wordDocumentWithAuthor(), 'minutes.docx')
      .expect(415);
    expect(reporter.body.message).toContain('Save the document as a PDF');
  });

  it('takes a reporter’s .eml with their report and stores it as message/rfc822, headers and all, as staff evidence is', async () => {
    const sent = await request(world.server)
      .post(`/api/v1/tenants/${world.tenant.slug}/reports`)
      .field(
        'submission',
        JSON.stringify({
          category: 'gifts_hospitality',
          answers: { whatHappened: 'Tickets from a bidder', howYouKnow: 'saw_it', raisedBefore: 'no' },
          altcha: await solvedAltcha(world.server, world.tenant.slug),
        }),
      )
      .attach('files', Buffer.from(EMAIL), 'forwarded.eml')
      .expect(201);
    const view = await request(world.server)
      .get(`/api/v1/cases/${sent.body.reference}`)
      .auth(token(), { type: 'bearer' })
      .expect(200);
    expect(view.body.attachments).toEqual([
      expect.objectContaining({ name: 'forwarded.eml', mediaType: 'message/rfc822' }),
    ]);
    const file = await download(sent.body.reference, view.body.attachments[0].id).expect(200);
    expect(file.headers['content-type']).toMatch(/^message\/rfc822/);
    expect((file.body as Buffer).toString('utf8')).toBe(EMAIL);
  });

  it('refuses a reporter’s Outlook .msg with the same advice to save it as .eml or PDF', async () => {
    const { receipt } = await world.submit();
    const reporter = await signInWithReceipt(world.server, world.tenant.slug, receipt);
    const cfb = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600)]);
    const refused = await request(world.server)
      .post('/api/v1/reporter/case/messages')
      .auth(reporter, { type: 'bearer' })
      .field('message', JSON.stringify({ text: 'The e-mail' }))
      .attach('files', cfb, 'Re tickets.msg')
      .expect(415);
    expect(refused.body.message).toBe(
      '"Re tickets.msg" is an Outlook message (.msg), which we cannot read to check it. In Outlook, save the message as an .eml file (drag it to a folder, or File > Save As) or print it to PDF, and upload that instead.',
    );
  });
});
