// The encrypted case store end to end through the public API, as the API app will drive it
// (docs/architecture.md "Encryption model"): a submission, the reporter coming back with their receipt, a
// handler logging in, a handler leaving and being replaced. Also pins the public surface.
import * as crypto from './index';
import {
  PublicKeyHandle,
  UnlockedKey,
  createGrant,
  createReporterKey,
  decryptWithScope,
  encryptToScope,
  generateScopeKeyPair,
  generateStaffKeyPair,
  openGrant,
  receiptLookupKey,
  regrant,
  unlockPrivateKey,
  unlockReporterKey,
} from './index';
import type { Scope, ScopeKeyPair, StaffKeyMaterial } from './index';
import { cheapUnlockedKey, expectCryptoError } from './testing/crypto-test-support';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('@nolan/crypto', () => {
  // Pinned on purpose: the API app codes against exactly these names.
  it('exports exactly the public API', () => {
    expect(Object.keys(crypto).sort()).toEqual(
      [
        'CRYPTO_ERROR_CODES',
        'CryptoError',
        'MODE_TAG_BYTES',
        'MODE_TAG_MODES',
        'PublicKeyHandle',
        'SCOPES',
        'UnlockedKey',
        'changePassphrase',
        'createGrant',
        'createGrants',
        'createReporterKey',
        'decryptWithScope',
        'encryptToScope',
        'exportForRecipient',
        'exportForRecipientBinary',
        'generateScopeKeyPair',
        'generateSigningKeyPair',
        'generateStaffKeyPair',
        'isCryptoError',
        'isLockedPrivateKey',
        'isScope',
        'modeOfTag',
        'modeTag',
        'modeTagKey',
        'openGrant',
        'openGrantAsKey',
        'packetDate',
        'receiptLookupKey',
        'regrant',
        'relockReporterKey',
        'signDetached',
        'takeScopeKeyPair',
        'unlockPrivateKey',
        'unlockReporterKey',
        'useCheapKeyProtectionInTests',
        'verifyAndDecryptBinaryExport',
        'verifyAndDecryptExport',
        'verifyDetached',
      ].sort(),
    );
  });

  describe('a case from submission to a change of handler', () => {
    const pepper = 'p'.repeat(40);
    const receipt = 'stoic-banjo-turret-quill-amber-lilac-pelican';
    const handlerPassphrase = 'handler passphrase';
    const escrowPassphrase = 'escrow recovery passphrase';

    let handler: StaffKeyMaterial;
    let escrow: StaffKeyMaterial;
    let scopes: Record<Scope, ScopeKeyPair>;
    const grants = new Map<string, Uint8Array>(); // `${scope}:${fingerprint}` → grant, as the grants table
    let stored: {
      lookupKey: string;
      reporterPublicKey: Uint8Array;
      lockedPrivateKey: Uint8Array;
      salt: Uint8Array;
    };
    let reportCiphertext: Uint8Array;
    let identityCiphertext: Uint8Array;
    let noteCiphertext: Uint8Array;

    beforeAll(async () => {
      [handler, escrow] = await Promise.all([
        generateStaffKeyPair({
          name: 'Alex Handler',
          email: 'alex@demo.example',
          passphrase: handlerPassphrase,
        }),
        generateStaffKeyPair({
          name: 'Demo escrow',
          email: 'escrow@demo.example',
          passphrase: escrowPassphrase,
        }),
      ]);

      // Intake: everything is encrypted straight to the routed grantees; no private key is kept.
      const reporter = await createReporterKey(receipt);
      const [report, internal, identity] = await Promise.all([
        generateScopeKeyPair('report'),
        generateScopeKeyPair('internal'),
        generateScopeKeyPair('identity'),
      ]);
      scopes = { report, internal, identity };
      reportCiphertext = await encryptToScope(
        'The cabinet member did not declare the gift.',
        report.publicKey,
      );
      identityCiphertext = await encryptToScope('Sam Reporter, Planning', identity.publicKey);
      const handlerKey = await PublicKeyHandle.parse(handler.publicKey);
      const escrowKey = await PublicKeyHandle.parse(escrow.publicKey);
      const reporterKey = await PublicKeyHandle.parse(reporter.publicKey);
      const routes: Record<Scope, PublicKeyHandle[]> = {
        report: [handlerKey, escrowKey, reporterKey],
        internal: [handlerKey, escrowKey],
        identity: [escrowKey],
      };
      for (const scope of crypto.SCOPES) {
        for (const grantee of routes[scope]) {
          grants.set(`${scope}:${grantee.fingerprint}`, await createGrant(scopes[scope].privateKey, grantee));
        }
      }
      stored = {
        lookupKey: receiptLookupKey(pepper, receipt),
        reporterPublicKey: reporter.publicKey,
        lockedPrivateKey: reporter.lockedPrivateKey,
        salt: reporter.salt,
      };
      // A worker adds an internal note later, with the scope's public key only.
      noteCiphertext = await encryptToScope('Gift register checked: no entry.', internal.publicKey);
    });

    const grantOf = (scope: Scope, fingerprint: string): Uint8Array => {
      const grant = grants.get(`${scope}:${fingerprint}`);
      if (!grant) throw new Error(`no ${scope} grant for ${fingerprint}`);
      return grant;
    };

    it('lets the reporter back in with the receipt to read the report scope only', async () => {
      expect(receiptLookupKey(pepper, receipt)).toBe(stored.lookupKey);
      const reporterKey = await unlockReporterKey(stored, receipt);
      const reportScopeKey = await openGrant(grantOf('report', reporterKey.fingerprint), reporterKey);
      expect(text(await decryptWithScope(reportCiphertext, reportScopeKey))).toMatch(/did not declare/);
      await expectCryptoError(decryptWithScope(noteCiphertext, reporterKey), 'NOT_A_RECIPIENT');
      await expectCryptoError(
        openGrant(grantOf('internal', handler.fingerprint), reporterKey),
        'NOT_A_RECIPIENT',
      );
    });

    it('lets the handler log in, keep the key in a session, and read report and notes but not the identity', async () => {
      const atLogin = await unlockPrivateKey(handler.encryptedPrivateKey, handlerPassphrase);
      const fromSession = await UnlockedKey.fromSerialized(atLogin.serialize());
      const report = await openGrant(grantOf('report', handler.fingerprint), fromSession);
      const internal = await openGrant(grantOf('internal', handler.fingerprint), fromSession);
      expect(text(await decryptWithScope(reportCiphertext, report))).toMatch(/did not declare/);
      expect(text(await decryptWithScope(noteCiphertext, internal))).toMatch(/no entry/);
      expect(grants.has(`identity:${handler.fingerprint}`)).toBe(false);
      await expectCryptoError(decryptWithScope(identityCiphertext, report), 'NOT_A_RECIPIENT');
    });

    it('survives the handler leaving: escrow grants a replacement and the old handler reads nothing', async () => {
      const escrowKey = await unlockPrivateKey(escrow.encryptedPrivateKey, escrowPassphrase);
      const replacement = await cheapUnlockedKey();
      for (const scope of ['report', 'internal'] as const) {
        grants.set(
          `${scope}:${replacement.fingerprint}`,
          await regrant(grantOf(scope, escrow.fingerprint), escrowKey, replacement.publicKey()),
        );
        grants.delete(`${scope}:${handler.fingerprint}`);
      }

      const internal = await openGrant(grantOf('internal', replacement.fingerprint), replacement);
      expect(internal).toEqual(scopes.internal.privateKey);
      expect(text(await decryptWithScope(noteCiphertext, internal))).toMatch(/no entry/);

      const leaver = await unlockPrivateKey(handler.encryptedPrivateKey, handlerPassphrase);
      await expectCryptoError(decryptWithScope(noteCiphertext, leaver), 'NOT_A_RECIPIENT');
      for (const grant of grants.values())
        await expectCryptoError(openGrant(grant, leaver), 'NOT_A_RECIPIENT');
    });
  });
});
