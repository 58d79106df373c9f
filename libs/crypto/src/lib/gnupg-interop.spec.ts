// The promise that GnuPG 2.2 reads what we write (docs/architecture.md "Staff keys" and
// "Exports"; docs/architecture.md "OpenPGP profile"; grants made together, docs/performance.md "One
// session key per scope"), checked against the real /usr/bin/gpg in a
// throwaway GNUPGHOME: exports decrypt and verify in gpg, our keys import into gpg, and what gpg encrypts
// to our keys we read. Skipped, saying so, only where /usr/bin/gpg is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportForRecipient, exportForRecipientBinary, verifyAndDecryptExport } from './case-export';
import { createGrants } from './grants';
import { PublicKeyHandle, UnlockedKey } from './key-handles';
import { generateSigningKeyPair } from './signing-keys';
import { decryptWithScope, encryptToScope, generateScopeKeyPair } from './scope-keys';
import { generateStaffKeyPair, unlockPrivateKey } from './staff-keys';
import type { StaffKeyMaterial } from './staff-keys';

const GPG = '/usr/bin/gpg';
const GPGCONF = '/usr/bin/gpgconf';
const haveGpg = existsSync(GPG);
if (!haveGpg) {
  console.warn(
    `gnupg-interop.spec.ts SKIPPED: ${GPG} is not installed, so GnuPG interoperability is unchecked.`,
  );
}
const describeWithGpg = haveGpg ? describe : describe.skip;

interface GpgResult {
  status: number | null;
  /** stdout as text (status lines, armored output). */
  stdout: string;
  /** stdout as bytes (binary output). */
  output: Uint8Array;
  stderr: string;
}

jest.setTimeout(60_000);

describeWithGpg(`GnuPG interoperability${haveGpg ? '' : ` (skipped: ${GPG} is missing)`}`, () => {
  let home: string;
  let gpgFingerprint: string;
  let gpgPublicKey: PublicKeyHandle;
  let tenant: StaffKeyMaterial;
  let tenantKey: UnlockedKey;

  const passphrase = 'tenant escrow recovery passphrase';

  function gpg(args: string[], input?: Uint8Array | string): GpgResult {
    const result = spawnSync(
      GPG,
      ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', ...args],
      { input, env: { ...process.env, GNUPGHOME: home }, timeout: 30_000 },
    );
    return {
      status: result.status,
      stdout: result.stdout.toString('utf8'),
      output: new Uint8Array(result.stdout),
      stderr: result.stderr.toString('utf8'),
    };
  }

  function gpgOk(args: string[], input?: Uint8Array | string): GpgResult {
    const result = gpg(args, input);
    if (result.status !== 0)
      throw new Error(`gpg ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return result;
  }

  function statusLines(output: string): string[] {
    return output.split('\n').filter((line) => line.startsWith('[GNUPG:] '));
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'nolan-gpg-'));
    gpgOk(['--quick-gen-key', 'Test <t@example.org>', 'ed25519', 'sign', 'never']);
    const listing = gpgOk(['--with-colons', '--list-keys', 't@example.org']).stdout;
    gpgFingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listing)?.[1] ?? '';
    expect(gpgFingerprint).toHaveLength(40);
    gpgOk(['--quick-add-key', gpgFingerprint, 'cv25519', 'encr', 'never']);
    gpgPublicKey = await PublicKeyHandle.parse(gpgOk(['--armor', '--export', gpgFingerprint]).stdout);

    tenant = await generateStaffKeyPair({ name: 'Demo Council', email: 'nolan@demo.example', passphrase });
    tenantKey = await unlockPrivateKey(tenant.encryptedPrivateKey, passphrase);
  });

  afterAll(() => {
    if (!home) return;
    // Stop only the agent this spec's gpg calls started for this home directory.
    spawnSync(GPGCONF, ['--homedir', home, '--kill', 'all'], {
      env: { ...process.env, GNUPGHOME: home },
      timeout: 10_000,
    });
    rmSync(home, { recursive: true, force: true });
  });

  it('is GnuPG 2.x', () => {
    expect(gpgOk(['--version']).stdout).toMatch(/^gpg \(GnuPG\) 2\./);
  });

  it('decrypts an export with gpg and verifies the tenant signature', async () => {
    const content = 'Case NOL-2026-0042\nFindings: substantiated.\nLlanelli — Ŵ\n';
    const armored = await exportForRecipient({
      content,
      filename: 'NOL-2026-0042.txt',
      recipient: gpgPublicKey,
      signer: tenantKey,
    });
    gpgOk(['--import'], tenant.publicKey);
    writeFileSync(join(home, 'export.asc'), armored);

    const result = gpg([
      '--status-fd',
      '1',
      '--trust-model',
      'always',
      '--output',
      join(home, 'export.out'),
      '--decrypt',
      join(home, 'export.asc'),
    ]);

    expect(result.status).toBe(0);
    const status = statusLines(result.stdout);
    const tenantFingerprint = tenant.fingerprint.toUpperCase();
    expect(status).toContainEqual(
      expect.stringMatching(new RegExp(`^\\[GNUPG:\\] GOODSIG ${tenantFingerprint.slice(-16)} Demo Council`)),
    );
    expect(status).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\[GNUPG:\\] VALIDSIG ${tenantFingerprint} .* ${tenantFingerprint}$`),
      ),
    );
    expect(status).toContain('[GNUPG:] DECRYPTION_OKAY');
    expect(status).toContain('[GNUPG:] GOODMDC');
    expect(status).toContainEqual(expect.stringMatching(/^\[GNUPG:\] PLAINTEXT 62 \d+ NOL-2026-0042\.txt$/));
    expect(status.some((line) => /BADSIG|ERRSIG|DECRYPTION_FAILED|NO_SECKEY/.test(line))).toBe(false);
    expect(readFileSync(join(home, 'export.out'), 'utf8')).toBe(content);
  });

  it('imports a tenant signing key as sign-only and verifies a binary export signed with it', async () => {
    const signing = await generateSigningKeyPair({ name: 'Gwent Council exports' });
    const imported = gpg(['--status-fd', '1', '--import'], signing.publicKey);
    expect(imported.status).toBe(0);
    const listing = gpgOk(['--with-colons', '--list-keys', signing.fingerprint.toUpperCase()]).stdout;
    // pub: algorithm 22 (EdDSA), key capabilities sign and certify only (field 12), and no subkey at all.
    const pub =
      listing
        .split('\n')
        .find((line) => line.startsWith('pub:'))
        ?.split(':') ?? [];
    expect(pub[3]).toBe('22');
    expect(pub[11]).toBe('scSC');
    expect(listing).not.toMatch(/^sub:/m);

    const content = new Uint8Array([80, 75, 3, 4, 0, 1, 2, 255, 13, 10]);
    const message = await exportForRecipientBinary({
      content,
      filename: 'NOL-2026-0042.zip',
      recipient: gpgPublicKey,
      signer: await UnlockedKey.fromSerialized(signing.privateKey),
    });
    writeFileSync(join(home, 'export.pgp'), message);
    const result = gpg([
      '--status-fd',
      '1',
      '--trust-model',
      'always',
      '--output',
      join(home, 'export.zip'),
      '--decrypt',
      join(home, 'export.pgp'),
    ]);
    expect(result.status).toBe(0);
    const status = statusLines(result.stdout);
    expect(status).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\[GNUPG:\\] VALIDSIG ${signing.fingerprint.toUpperCase()} .* ${signing.fingerprint.toUpperCase()}$`,
        ),
      ),
    );
    expect(status).toContain('[GNUPG:] GOODMDC');
    expect(new Uint8Array(readFileSync(join(home, 'export.zip')))).toEqual(content);
  });

  it('imports a staff public key we generate, and we read what gpg encrypts to it', async () => {
    const staffPassphrase = 'handler passphrase';
    const staff = await generateStaffKeyPair({
      name: 'Alex Handler',
      email: 'alex@demo.example',
      passphrase: staffPassphrase,
    });
    const imported = gpg(['--status-fd', '1', '--import'], staff.publicKey);
    expect(imported.status).toBe(0);
    expect(statusLines(imported.stdout)).toContainEqual(
      expect.stringMatching(new RegExp(`^\\[GNUPG:\\] IMPORT_OK \\d+ ${staff.fingerprint.toUpperCase()}$`)),
    );
    // gpg sees an encryption-capable subkey on it.
    const listing = gpgOk(['--with-colons', '--list-keys', staff.fingerprint.toUpperCase()]).stdout;
    expect(listing).toMatch(/^sub:[^:]*:255:18:[0-9A-F]{16}:\d+::::::e:/m);

    const plaintext = 'A message encrypted by GnuPG to a Nolan staff key.';
    const encrypted = gpgOk(
      [
        '--trust-model',
        'always',
        '--recipient',
        staff.fingerprint.toUpperCase(),
        '--output',
        '-',
        '--encrypt',
      ],
      plaintext,
    );
    const unlocked = await unlockPrivateKey(staff.encryptedPrivateKey, staffPassphrase);
    expect(new TextDecoder().decode(await decryptWithScope(encrypted.output, unlocked))).toBe(plaintext);
  });

  it('reads a message gpg signs with its key and encrypts to ours', async () => {
    const plaintext = 'Signed by GnuPG, encrypted to the tenant.';
    writeFileSync(join(home, 'signed.txt'), plaintext);
    gpgOk(['--import'], tenant.publicKey);
    gpgOk([
      '--trust-model',
      'always',
      '--armor',
      '--local-user',
      gpgFingerprint,
      '--recipient',
      tenant.fingerprint.toUpperCase(),
      '--output',
      join(home, 'signed.asc'),
      '--sign',
      '--encrypt',
      join(home, 'signed.txt'),
    ]);
    const verified = await verifyAndDecryptExport({
      armored: readFileSync(join(home, 'signed.asc'), 'utf8'),
      recipient: tenantKey,
      signer: gpgPublicKey,
    });
    expect(new TextDecoder().decode(verified.content)).toBe(plaintext);
  });

  it('decrypts scope content in gpg once the scope key is imported (escrow recovery outside Nolan)', async () => {
    const scope = await generateScopeKeyPair('report');
    const content = 'Report text that a monitoring officer could recover with GnuPG alone.';
    writeFileSync(join(home, 'scope.gpg'), await encryptToScope(content, scope.publicKey));
    gpgOk(['--import'], scope.privateKey);

    const result = gpg([
      '--status-fd',
      '1',
      '--output',
      join(home, 'scope.out'),
      '--decrypt',
      join(home, 'scope.gpg'),
    ]);

    expect(result.status).toBe(0);
    expect(statusLines(result.stdout)).toContain('[GNUPG:] GOODMDC');
    expect(readFileSync(join(home, 'scope.out'), 'utf8')).toBe(content);
  });
  it('decrypts with gpg a grant made together with others for the same scope, and nothing else of them', async () => {
    const scope = await generateScopeKeyPair('internal');
    const other = await generateScopeKeyPair('internal');
    const otherKey = await UnlockedKey.fromSerialized(other.privateKey);
    const [forOther, forGpg] = await createGrants(scope.privateKey, [otherKey.publicKey(), gpgPublicKey]);
    writeFileSync(join(home, 'grant.gpg'), forGpg as Uint8Array);
    writeFileSync(join(home, 'other-grant.gpg'), forOther as Uint8Array);

    const result = gpg([
      '--status-fd',
      '1',
      '--output',
      join(home, 'grant.out'),
      '--decrypt',
      join(home, 'grant.gpg'),
    ]);
    expect(result.status).toBe(0);
    const status = statusLines(result.stdout);
    // One recipient only, gpg's own encryption subkey; SEIPDv1 with MDC.
    expect(status.filter((line) => line.startsWith('[GNUPG:] ENC_TO '))).toHaveLength(1);
    expect(status).toContain('[GNUPG:] DECRYPTION_OKAY');
    expect(status).toContain('[GNUPG:] GOODMDC');
    expect(new Uint8Array(readFileSync(join(home, 'grant.out')))).toEqual(scope.privateKey);

    // The other grantee's grant shares the encrypted-data packet, yet gpg's key does not open it.
    const refused = gpg([
      '--status-fd',
      '1',
      '--output',
      join(home, 'other.out'),
      '--decrypt',
      join(home, 'other-grant.gpg'),
    ]);
    expect(refused.status).not.toBe(0);
    expect(statusLines(refused.stdout)).toContainEqual(expect.stringMatching(/^\[GNUPG:\] NO_SECKEY /));
    expect(existsSync(join(home, 'other.out'))).toBe(false);

    // What gpg took out of the grant is the scope key itself: imported, it reads the scope's content.
    gpgOk(['--import', join(home, 'grant.out')]);
    const content = 'Internal note readable with the scope key recovered from its grant.';
    writeFileSync(join(home, 'note.gpg'), await encryptToScope(content, scope.publicKey));
    const note = gpg([
      '--status-fd',
      '1',
      '--output',
      join(home, 'note.out'),
      '--decrypt',
      join(home, 'note.gpg'),
    ]);
    expect(note.status).toBe(0);
    expect(readFileSync(join(home, 'note.out'), 'utf8')).toBe(content);
  });
});
