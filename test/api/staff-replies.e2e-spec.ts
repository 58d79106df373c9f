/**
 * Issue #19: a reply to the reporter with files (POST /cases/:reference/replies), in the report scope,
 * so the reporter reads the text and downloads the files with their receipt; the files are checked as
 * every upload is, and a case the caller does not hold is the door's 404.
 */
import request from 'supertest';
import { CaseWorld } from '../support/case-fixtures';
import { signInWithReceipt } from '../support/reporter-client';

describe('a staff reply with files', () => {
  let world: CaseWorld;

  beforeAll(async () => {
    world = await CaseWorld.start('replies', { mo: ['monitoring_officer'], other: ['investigator'] });
  }, 120_000);
  afterAll(async () => world?.close());

  const reply = (who: string, reference: string) =>
    request(world.server)
      .post(`/api/v1/cases/${reference}/replies`)
      .auth(world.tokens[who]!, { type: 'bearer' });

  it('reaches the reporter with its files, and refuses what it must', async () => {
    const { reference, receipt } = await world.submit();
    const sent = await reply('mo', reference)
      .field('text', 'Here is the policy we mentioned.')
      .attach('files', Buffer.from('Fuel cards may not be used at weekends.\n'), 'policy.txt')
      .expect(201);
    expect(sent.body).toEqual({ sent: true, attachments: 1 });

    const token = await signInWithReceipt(world.server, world.tenant.slug, receipt);
    const view = await request(world.server)
      .get('/api/v1/reporter/case')
      .auth(token, { type: 'bearer' })
      .expect(200);
    const message = view.body.messages.find(
      (m: { text: string }) => m.text === 'Here is the policy we mentioned.',
    );
    expect(message.attachments).toHaveLength(1);
    const file = await request(world.server)
      .get(`/api/v1/reporter/case/files/${message.attachments[0]}`)
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((file.body as Buffer).toString('utf8')).toBe('Fuel cards may not be used at weekends.\n');

    const empty = await reply('mo', reference).field('text', ' ').expect(400);
    expect(empty.body.message).toEqual(['text is required']);
    await reply('mo', reference)
      .field('text', 'A program')
      .attach('files', Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00'), 'tool.exe')
      .expect(415);
    await reply('other', reference).field('text', 'Not my case').expect(404);
  });
});
