/**
 * Issue #7 "Export": a handler exports the whole case as one OpenPGP message, encrypted to their own
 * registered key and signed by the council's export signing key. Checked with GnuPG 2.2 — an independent
 * OpenPGP implementation — in a throwaway GNUPGHOME: gpg decrypts it and reports a good signature from the
 * published tenant key, the zip unpacks, case.md holds the report and both sides of the conversation,
 * the attachments are byte for byte what was uploaded; a tampered export fails; someone without the case
 * gets 404; someone without a key gets 400 saying how to register one; the export is in the audit trail.
 */
import type { INestApplication } from '@nestjs/common';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { EXPORT_BUDGET_BYTES, ExportBudget } from '../../apps/api/src/exports/export-budget';
import { createTenant } from '../../apps/api/src/staff/staff-provisioning';
import { startApi } from '../support/api-app';
import { cli } from '../support/cli';
import { signInWithReceipt, solvedAltcha } from '../support/reporter-client';
import { signInAs, StaffFixtures, type TestUser } from '../support/staff-fixtures';
import { TEST_ENV } from '../support/test-env';

const GPG = '/usr/bin/gpg';
/** Operator commands run from source (a compile each time): slow on a busy machine. */
const CLI_TIMEOUT_MS = 180_000;
// Set-up submits two reports, signs four users in (Argon2) and makes gpg keys: generous on a busy machine.
jest.setTimeout(120_000);

interface GpgResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Collects a binary response body (supertest only buffers text and JSON by itself). */
const collect = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on('data', (chunk: Buffer) => chunks.push(chunk));
  (res as unknown as NodeJS.ReadableStream).on('end', () => done(null, Buffer.concat(chunks)));
};

describe('case export', () => {
  let app: INestApplication;
  let fixtures: StaffFixtures;
  let tenant: { id: string; slug: string };
  let mo: TestUser;
  let s151: TestUser;
  let outsider: TestUser;
  let admin: TestUser;
  let reference: string;
  let home: string;
  const tokens: Record<string, string> = {};
  const fingerprints: Record<string, string> = {};

  const ledger = Buffer.from('Ledger for April\nInvoice 1041 £1,200\nInvoice 1042 £980\n', 'utf8');
  const invoiceList = Buffer.from('invoice list: 1041, 1042 — both signed by the same officer\n', 'utf8');
  const whatHappened = 'Overtime claims for shifts nobody worked, signed off by the same manager.';
  const reporterMessage = 'Invoices 1041 and 1042 are the clearest examples.';
  const handlerMessage = 'Thank you. Can you tell us who else saw the invoices?';
  const note = 'Spoke to payroll: the claims were approved on the same afternoon.';
  const evidenceDescription = 'Interview with the payroll officer, 20 November.';
  const transcript = Buffer.from('Q: Who approved the claims?\nA: The same manager, every time.\n', 'utf8');
  const feedback = {
    actionTaken: 'Internal audit is reviewing the claims.',
    reasons: 'The invoices support it.',
  };
  let photo: Buffer;
  let photoId: string;
  // Markdown that would fetch a remote image if case.md rendered it as Markdown.
  const trap = '![seen](https://tracker.example/pixel.png) <img src="https://tracker.example/x.png"> ```';

  function gpg(args: string[], input?: string | Buffer): GpgResult {
    const result = spawnSync(
      GPG,
      ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', ...args],
      { input, env: { ...process.env, GNUPGHOME: home }, timeout: 30_000 },
    );
    return {
      status: result.status,
      stdout: result.stdout.toString('utf8'),
      stderr: result.stderr.toString('utf8'),
    };
  }

  function gpgOk(args: string[], input?: string | Buffer): GpgResult {
    const result = gpg(args, input);
    if (result.status !== 0)
      throw new Error(`gpg ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return result;
  }

  /** A gpg key pair for a handler (Ed25519 signing, Curve25519 encryption); returns its fingerprint. */
  function gpgKeyFor(email: string): string {
    gpgOk(['--quick-gen-key', `Handler <${email}>`, 'future-default', 'default', 'never']);
    const listing = gpgOk(['--with-colons', '--list-keys', email]).stdout;
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listing)?.[1];
    if (!fingerprint) throw new Error('gpg made no key');
    return fingerprint;
  }

  const statusLines = (output: string) => output.split('\n').filter((line) => line.startsWith('[GNUPG:] '));

  const exportAs = (who: string) =>
    request(app.getHttpServer())
      .post(`/api/v1/cases/${reference}/exports`)
      .auth(tokens[who]!, { type: 'bearer' })
      .buffer(true)
      .parse(collect);

  async function registerKey(who: string, email: string): Promise<void> {
    fingerprints[who] = gpgKeyFor(email);
    const armored = gpgOk(['--armor', '--export', fingerprints[who]!]).stdout;
    await request(app.getHttpServer())
      .put('/api/v1/me/openpgp-key')
      .auth(tokens[who]!, { type: 'bearer' })
      .send({ armoredPublicKey: armored })
      .expect(200, { fingerprint: fingerprints[who]!.toLowerCase() });
  }

  /** Decrypts an export with gpg into a fresh directory and unzips it there. */
  function openExport(message: Buffer, name: string): { status: string[]; dir: string } {
    const dir = mkdtempSync(join(home, `${name}-`));
    writeFileSync(join(dir, 'export.pgp'), message);
    const result = gpg([
      '--status-fd',
      '1',
      '--trust-model',
      'always',
      '--output',
      join(dir, 'case.zip'),
      '--decrypt',
      join(dir, 'export.pgp'),
    ]);
    if (result.status !== 0) throw new Error(`gpg --decrypt exited ${result.status}: ${result.stderr}`);
    const unzipped = spawnSync('unzip', ['-q', join(dir, 'case.zip'), '-d', join(dir, 'out')], {
      timeout: 30_000,
    });
    if (unzipped.status !== 0)
      throw new Error(`unzip exited ${unzipped.status}: ${unzipped.stderr.toString()}`);
    return { status: statusLines(result.stdout), dir: join(dir, 'out') };
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'nolan-export-gpg-'));
    app = await startApi();
    fixtures = await StaffFixtures.open();
    tenant = await fixtures.tenant('export');
    mo = await fixtures.user(tenant.id, ['monitoring_officer']);
    s151 = await fixtures.user(tenant.id, ['s151_officer']);
    outsider = await fixtures.user(tenant.id, ['investigator']);
    admin = await fixtures.user(tenant.id, ['administrator']);
    const server = app.getHttpServer();

    const submitted = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .field(
        'submission',
        JSON.stringify({
          category: 'fraud_theft',
          answers: { whatHappened, where: trap, howYouKnow: 'documents', raisedBefore: 'no' },
          identity: { name: 'Jo Reporter', contact: 'jo@example.net' },
          altcha: await solvedAltcha(server, tenant.slug),
        }),
      )
      .attach('files', ledger, 'april-ledger.txt')
      .expect(201);
    reference = submitted.body.reference;

    for (const [who, user] of [
      ['mo', mo],
      ['s151', s151],
      ['outsider', outsider],
      ['admin', admin],
    ] as const)
      tokens[who] = await signInAs(server, tenant.slug, user);

    await request(server)
      .post(`/api/v1/cases/${reference}/messages`)
      .auth(tokens.s151!, { type: 'bearer' })
      .send({ text: handlerMessage })
      .expect(201);
    const reporterToken = await signInWithReceipt(server, tenant.slug, submitted.body.receipt);
    await request(server)
      .post('/api/v1/reporter/case/messages')
      .auth(reporterToken, { type: 'bearer' })
      .field('message', JSON.stringify({ text: reporterMessage }))
      .attach('files', invoiceList, 'invoices.txt')
      .expect(201);
    await request(server)
      .post(`/api/v1/cases/${reference}/transitions`)
      .auth(tokens.s151!, { type: 'bearer' })
      .send({
        to: 'acknowledged',
        firstResponse: {
          proposedHandling: 'Internal audit will review the overtime claims.',
          whoIsInvolved: 'Internal audit.',
          estimatedTimescale: 'About six weeks.',
          supportAvailable: 'Protect: 020 3117 2520.',
        },
      })
      .expect(201);
    await request(server)
      .post(`/api/v1/cases/${reference}/notes`)
      .auth(tokens.s151!, { type: 'bearer' })
      .send({ text: note })
      .expect(201);
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#224488' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Photographer name' } })
      .toBuffer();
    const evidence = await request(server)
      .post(`/api/v1/cases/${reference}/evidence`)
      .auth(tokens.s151!, { type: 'bearer' })
      .field('description', evidenceDescription)
      .field('kind', 'interview_record')
      .attach('files', transcript, 'transcript.txt')
      .attach('files', jpeg, 'whiteboard.jpg')
      .expect(201);
    photoId = evidence.body.files[1].id;
    // What the store holds after metadata stripping: the export must carry exactly these bytes.
    photo = (
      await request(server)
        .get(`/api/v1/cases/${reference}/files/${photoId}`)
        .auth(tokens.s151!, { type: 'bearer' })
        .buffer(true)
        .parse(collect)
        .expect(200)
    ).body as Buffer;
    expect(photo.toString('latin1')).not.toContain('Photographer name');
    // A related case the s151 officer also holds, linked to this one.
    const related = await request(server)
      .post(`/api/v1/tenants/${tenant.slug}/reports`)
      .send({
        category: 'fraud_theft',
        answers: {
          whatHappened: 'More overtime claims in another team.',
          howYouKnow: 'saw_it',
          raisedBefore: 'no',
        },
        altcha: await solvedAltcha(server, tenant.slug),
      })
      .expect(201);
    await request(server)
      .post(`/api/v1/cases/${reference}/links`)
      .auth(tokens.s151!, { type: 'bearer' })
      .send({ reference: related.body.reference, kind: 'same_pattern', note: 'Same manager signs off.' })
      .expect(201);
    await request(server)
      .post(`/api/v1/cases/${reference}/feedback`)
      .auth(tokens.s151!, { type: 'bearer' })
      .send(feedback)
      .expect(201);
  });

  afterAll(async () => {
    if (home) {
      spawnSync('/usr/bin/gpgconf', ['--homedir', home, '--kill', 'all'], {
        env: { ...process.env, GNUPGHOME: home },
        timeout: 10_000,
      });
      rmSync(home, { recursive: true, force: true });
    }
    await fixtures?.close();
    await app?.close();
  });

  it('refuses a grant holder with no registered OpenPGP key with 400, saying how to register one', async () => {
    const res = await exportAs('s151').expect(400);
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining('PUT /api/v1/me/openpgp-key'),
    });
  });

  it('answers 404 to staff without the case and to administrators, key or not, as if it did not exist', async () => {
    await registerKey('outsider', 'outsider@example.org');
    for (const who of ['outsider', 'admin']) {
      const res = await exportAs(who).expect(404);
      expect(JSON.parse(res.body.toString('utf8'))).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'There is no case with this reference.',
      });
    }
    const unknown = await request(app.getHttpServer())
      .post('/api/v1/cases/NLN-ZZZZ-ZZZZ/exports')
      .auth(tokens.s151!, { type: 'bearer' })
      .expect(404);
    expect(unknown.body.message).toBe('There is no case with this reference.');
    await request(app.getHttpServer()).post(`/api/v1/cases/${reference}/exports`).expect(401);
  });

  it('publishes the council signing key, armored and sign-only, the same on every request', async () => {
    const first = await request(app.getHttpServer())
      .get(`/api/v1/tenants/${tenant.slug}/signing-key`)
      .expect(200);
    expect(first.headers['content-type']).toMatch(/^application\/pgp-keys/);
    expect(first.text).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const again = await request(app.getHttpServer())
      .get(`/api/v1/tenants/${tenant.slug}/signing-key`)
      .expect(200);
    expect(again.text).toBe(first.text);
    const imported = gpgOk(['--status-fd', '1', '--import'], first.text);
    const line = statusLines(imported.stdout).find((l) => l.startsWith('[GNUPG:] IMPORT_OK'));
    fingerprints.tenant = line?.split(' ')[3] ?? '';
    expect(fingerprints.tenant).toMatch(/^[0-9A-F]{40}$/);
    const listing = gpgOk(['--with-colons', '--list-keys', fingerprints.tenant]).stdout;
    expect(listing).toMatch(/^uid:.*export council \(Nolan case exports\)/m);
    expect(listing).not.toMatch(/^sub:/m);

    await request(app.getHttpServer()).get('/api/v1/tenants/no-such-council/signing-key').expect(404);
  });

  it('exports the case: gpg decrypts it, verifies the council signature, and the zip holds case.md and the files', async () => {
    await registerKey('s151', 's151@example.org');
    const res = await exportAs('s151').expect(201);
    expect(res.headers['content-type']).toBe('application/pgp-encrypted');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${reference}.zip.pgp"`);
    const message = res.body as Buffer;
    // Binary OpenPGP: the first packet is a public-key encrypted session key (tag 1), not armor or a zip.
    expect(message[0]! & 0x80).toBe(0x80);
    expect(message.subarray(0, 5).toString('latin1')).not.toBe('-----');

    const { status, dir } = openExport(message, 's151');
    expect(status).toContain('[GNUPG:] DECRYPTION_OKAY');
    expect(status).toContain('[GNUPG:] GOODMDC');
    expect(status).toContainEqual(
      expect.stringMatching(new RegExp(`^\\[GNUPG:\\] GOODSIG ${fingerprints.tenant!.slice(-16)} `)),
    );
    expect(status).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\[GNUPG:\\] VALIDSIG ${fingerprints.tenant} .* ${fingerprints.tenant}$`),
      ),
    );
    expect(status).toContainEqual(
      expect.stringMatching(new RegExp(`^\\[GNUPG:\\] PLAINTEXT 62 \\d+ ${reference}\\.zip$`)),
    );
    expect(status.some((line) => /BADSIG|ERRSIG|DECRYPTION_FAILED|NO_SECKEY/.test(line))).toBe(false);

    expect(readdirSync(dir).sort()).toEqual(['attachments', 'case.json', 'case.md']);
    const json = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    expect(json).toEqual(
      expect.objectContaining({
        format: 'nolan-case-export/1',
        reference,
        scopes: { report: true, internal: true, identity: false },
        identity: null,
        report: { answers: expect.objectContaining({ whatHappened, where: trap }), involves: [] },
      }),
    );
    expect(json.messages.map((m: { text: string }) => m.text)).toEqual(
      expect.arrayContaining([handlerMessage, reporterMessage]),
    );
    expect(json.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['received', 'message', 'transition', 'note', 'evidence', 'feedback', 'linked']),
    );
    expect(readdirSync(join(dir, 'attachments')).sort()).toEqual([
      '01-april-ledger.txt',
      '02-invoices.txt',
      '03-transcript.txt',
      '04-whiteboard.jpg',
    ]);
    expect(readFileSync(join(dir, 'attachments', '01-april-ledger.txt'))).toEqual(ledger);
    expect(readFileSync(join(dir, 'attachments', '02-invoices.txt'))).toEqual(invoiceList);
    expect(readFileSync(join(dir, 'attachments', '03-transcript.txt'))).toEqual(transcript);
    expect(readFileSync(join(dir, 'attachments', '04-whiteboard.jpg'))).toEqual(photo);

    const md = readFileSync(join(dir, 'case.md'), 'utf8');
    expect(md).toMatch(new RegExp(`^# Case ${reference}\n`));
    expect(md).toContain(whatHappened);
    expect(md).toContain(reporterMessage);
    expect(md).toContain(handlerMessage);
    expect(md).toContain('We have received your concern.'); // the first response, sent as a message
    expect(md).toContain('Internal audit will review the overtime claims.'); // the transition's data
    expect(md).toContain('attachments/02-invoices.txt');
    expect(md).toContain(note);
    expect(md).toContain(evidenceDescription);
    expect(md).toContain('Kind: Interview record.');
    expect(md).toContain('- attachments/04-whiteboard.jpg');
    expect(md).toContain(feedback.actionTaken);
    expect(md).toContain(feedback.reasons);
    expect(md).toContain('| Status | Acknowledged |');
    // The timeline (TimelineService: the audit trail's order, with the reporter's actions to the hour).
    const timeline = md.slice(md.indexOf('## Timeline'));
    expect(timeline).toMatch(/\| Linked to a related case \(Test s151_officer/);
    expect(timeline).toMatch(
      /\| \d{4}-\d{2}-\d{2} \d{2}:00 UTC \(to the hour\) \| Report received \(the reporter\) \|/,
    );
    expect(timeline).toMatch(/\| [\d-]+ [\d:]+ UTC \| Message to the reporter \(Test s151_officer/);
    expect(timeline).toMatch(
      /\| [\d-]+ [\d:]+ UTC \(to the hour\) \| Message from the reporter \(the reporter\) \|/,
    );
    expect(timeline).toMatch(
      /\| [\d-]+ [\d:]+ UTC \| Acknowledged, with the first response to the reporter \(Test s151_officer/,
    );
    expect(md).toContain(fingerprints.s151!);
    // The reporter's text is there, but only inside a code fence longer than any backticks in it.
    const trapAt = md.indexOf(trap);
    expect(trapAt).toBeGreaterThan(0);
    expect(md.slice(0, trapAt)).toMatch(/````text\n$/);
    // s151 does not hold the identity scope: no identity section, no name.
    expect(md).not.toContain('Jo Reporter');
    expect(md).not.toContain('The reporter’s identity');
  });

  it('refuses with 400 a registered key that cannot be encrypted to (sign-only)', async () => {
    gpgOk(['--quick-gen-key', 'Sign Only <sign-only@example.org>', 'ed25519', 'sign', 'never']);
    await request(app.getHttpServer())
      .put('/api/v1/me/openpgp-key')
      .auth(tokens.mo!, { type: 'bearer' })
      .send({ armoredPublicKey: gpgOk(['--armor', '--export', 'sign-only@example.org']).stdout })
      .expect(200);
    const res = await exportAs('mo').expect(400);
    expect(JSON.parse(res.body.toString('utf8')).message).toMatch(
      /^Your registered OpenPGP key cannot be encrypted to: .* no encryption subkey\. Register a current key with PUT \/api\/v1\/me\/openpgp-key/,
    );
  });

  it('includes the identity only for someone granted it (the custodian)', async () => {
    await registerKey('mo', 'mo@example.org');
    const res = await exportAs('mo').expect(201);
    const { status, dir } = openExport(res.body as Buffer, 'mo');
    expect(status).toContain('[GNUPG:] GOODMDC');
    const md = readFileSync(join(dir, 'case.md'), 'utf8');
    expect(md).toContain('## The reporter’s identity');
    expect(md).toContain('Jo Reporter');
    expect(md).toContain('jo@example.net');
    expect(md).toContain(fingerprints.mo!);
    // The earlier export by the s151 officer is an event of the case.
    expect(md.slice(md.indexOf('## Timeline'))).toMatch(/\| Case exported \(Test s151_officer/);
  });

  it('fails verification in gpg when the export has been altered', async () => {
    const message = (await exportAs('s151').expect(201)).body as Buffer;
    // In the middle of the encrypted zip, and in the trailing integrity code (MDC) itself.
    for (const [at, inData] of [
      [Math.floor(message.length / 2), true],
      [message.length - 10, false],
    ] as const) {
      const altered = Buffer.from(message);
      altered[at] = altered[at]! ^ 0x01;
      const path = join(home, `tampered-${at}.pgp`);
      writeFileSync(path, altered);
      const result = gpg([
        '--status-fd',
        '1',
        '--trust-model',
        'always',
        '--output',
        `${path}.out`,
        '--decrypt',
        path,
      ]);
      expect(result.status).not.toBe(0);
      const status = statusLines(result.stdout);
      // gpg names the failure (a bad signature over altered content, a failed integrity check) and never
      // declares the decryption good.
      expect(status.some((line) => /^\[GNUPG:\] (BADSIG|BADMDC|DECRYPTION_FAILED)\b/.test(line))).toBe(true);
      expect(status).not.toContain('[GNUPG:] GOODMDC');
      expect(status).not.toContain('[GNUPG:] DECRYPTION_OKAY');
      if (inData) expect(status.some((line) => line.startsWith('[GNUPG:] GOODSIG'))).toBe(false);
    }
  });

  it('answers 429 with Retry-After while other exports hold the memory budget, and exports once it is free', async () => {
    const release = app.get(ExportBudget).reserve(EXPORT_BUDGET_BYTES);
    try {
      const busy = await exportAs('s151').expect(429);
      expect(busy.headers['retry-after']).toBe('10');
      expect(JSON.parse(busy.body.toString('utf8'))).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'Other large exports are being prepared right now. Try again in a few seconds.',
      });
    } finally {
      release?.();
    }
    await exportAs('s151').expect(201);
  });

  it('records every export in the audit trail with the recipient key fingerprint', async () => {
    const trail = await request(app.getHttpServer())
      .get(`/api/v1/cases/${reference}/audit?limit=200`)
      .auth(tokens.mo!, { type: 'bearer' })
      .expect(200);
    const exports = (
      trail.body.items as { action: string; actor: unknown; details: Record<string, unknown> }[]
    ).filter((entry) => entry.action === 'case.exported');
    expect(exports).toHaveLength(4);
    expect(exports.map((e) => e.details.fingerprint).sort()).toEqual(
      [fingerprints.s151, fingerprints.s151, fingerprints.s151, fingerprints.mo]
        .map((f) => f!.toLowerCase())
        .sort(),
    );
    const mine = exports.find((e) => e.details.fingerprint === fingerprints.mo!.toLowerCase());
    expect(mine?.details).toEqual(
      expect.objectContaining({
        recipientId: mo.id,
        signingFingerprint: fingerprints.tenant!.toLowerCase(),
        scopes: ['report', 'internal', 'identity'],
      }),
    );
    const theirs = exports.find((e) => e.details.fingerprint === fingerprints.s151!.toLowerCase());
    expect(theirs?.details).toEqual(
      expect.objectContaining({ recipientId: s151.id, scopes: ['report', 'internal'], files: 4 }),
    );
  });

  it('gives an older council exactly one signing key on first use, however many requests race for it', async () => {
    const older = await fixtures.tenant('export-older');
    const count = () =>
      fixtures.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [older.id]);
        return Number((await m.query(`SELECT count(*) AS n FROM tenant_signing_keys`))[0].n);
      });
    expect(await count()).toBe(0);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(app.getHttpServer()).get(`/api/v1/tenants/${older.slug}/signing-key`).expect(200),
      ),
    );
    expect(new Set(answers.map((res) => res.text)).size).toBe(1);
    expect(await count()).toBe(1);
  });

  it('makes the signing key with the tenant when given the secret, sealed so the database alone cannot sign', async () => {
    const slug = `export-new-${Date.now().toString(36)}`;
    const created = await fixtures.dataSource.transaction((m) =>
      createTenant(m, {
        slug,
        name: 'New export council',
        exportSigningSecret: TEST_ENV.EXPORT_SIGNING_SECRET,
      }),
    );
    const [row] = await fixtures.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('nolan.tenant_id', $1, true)`, [created.tenant.id]);
      return m.query(`SELECT fingerprint, public_key, private_key_sealed FROM tenant_signing_keys`);
    });
    expect(row.fingerprint).toMatch(/^[0-9a-f]{40}$/);
    // Sealed: not an OpenPGP packet stream nor armor, and not the key's bytes in any plain encoding.
    expect(row.private_key_sealed).not.toMatch(/BEGIN PGP/);
    expect(gpg(['--list-packets'], Buffer.from(row.private_key_sealed, 'base64url')).status).not.toBe(0);
    const published = await request(app.getHttpServer())
      .get(`/api/v1/tenants/${slug}/signing-key`)
      .expect(200);
    expect(published.text).toBe(row.public_key);
  });

  it(
    'makes the signing key when an operator creates a council, and prints its fingerprint',
    async () => {
      const slug = `export-cli-${Date.now().toString(36)}`;
      const run = cli(['tenant:create', '--slug', slug, '--name', 'Operator Council']);
      expect(run.status).toBe(0);
      const printed =
        /export signing key ([0-9A-F]{40}) \(published at \/api\/v1\/tenants\/([a-z0-9-]+)\/signing-key\)/.exec(
          run.stdout,
        );
      expect(printed?.[2]).toBe(slug);
      const published = await request(app.getHttpServer())
        .get(`/api/v1/tenants/${slug}/signing-key`)
        .expect(200);
      const imported = gpgOk(['--status-fd', '1', '--import'], published.text);
      expect(statusLines(imported.stdout)).toContainEqual(`[GNUPG:] IMPORT_OK 1 ${printed?.[1]}`);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'recovers from a lost EXPORT_SIGNING_SECRET: exports fail until an operator replaces the key, then verify with the new one',
    async () => {
      // A council whose signing key was sealed under a secret this server no longer has.
      const slug = `export-lost-${Date.now().toString(36)}`;
      const lost = await fixtures.dataSource.transaction((m) =>
        createTenant(m, {
          slug,
          name: 'Lost Secret Council',
          exportSigningSecret: 'an-old-secret-nobody-has-any-more-0123456789',
        }),
      );
      const handler = await fixtures.user(lost.tenant.id, ['monitoring_officer']);
      const { reference: lostReference } = await fixtures.case(lost.tenant.id, {
        category: 'fraud_theft',
        staffIds: [handler.id],
        report: { answers: { whatHappened: 'Lost secret case' }, involves: [] },
      });
      const token = await signInAs(app.getHttpServer(), slug, handler);
      await request(app.getHttpServer())
        .put('/api/v1/me/openpgp-key')
        .auth(token, { type: 'bearer' })
        .send({ armoredPublicKey: gpgOk(['--armor', '--export', fingerprints.s151!]).stdout })
        .expect(200);
      const exportLost = () =>
        request(app.getHttpServer())
          .post(`/api/v1/cases/${lostReference}/exports`)
          .auth(token, { type: 'bearer' })
          .buffer(true)
          .parse(collect);

      const failed = await exportLost().expect(500);
      expect(JSON.parse(failed.body.toString('utf8'))).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Internal server error',
      });

      const shown = cli(['tenant:signing-key', '--slug', slug]);
      expect(shown.stdout).toBe(
        `tenant ${slug}: export signing key ${lost.signingKeyFingerprint!.toUpperCase()} (published at /api/v1/tenants/${slug}/signing-key)\n`,
      );
      const replaced = cli(['tenant:replace-signing-key', '--slug', slug]);
      expect(replaced.status).toBe(0);
      const fresh = /new export signing key ([0-9A-F]{40})/.exec(replaced.stdout)?.[1];
      expect(fresh).toMatch(/^[0-9A-F]{40}$/);
      expect(fresh).not.toBe(lost.signingKeyFingerprint!.toUpperCase());
      expect(replaced.stdout).toContain(
        `the previous key ${lost.signingKeyFingerprint!.toUpperCase()} signs nothing more`,
      );

      const published = await request(app.getHttpServer())
        .get(`/api/v1/tenants/${slug}/signing-key`)
        .expect(200);
      gpgOk(['--import'], published.text);
      const { status } = openExport((await exportLost().expect(201)).body as Buffer, 'lost');
      expect(status).toContainEqual(expect.stringMatching(new RegExp(`^\\[GNUPG:\\] VALIDSIG ${fresh} `)));
      expect(status).toContain('[GNUPG:] GOODMDC');
    },
    CLI_TIMEOUT_MS,
  );
});
