// Argon2 off the event loop (docs/performance.md "Argon2 off the event loop"): unlockPrivateKey runs on the
// unlock thread and must give exactly the answers the same unlock gives on the calling thread.
import { readPrivateKey } from 'openpgp';
import { expectCryptoError } from '../testing/crypto-test-support';
import { createGrant, openGrant } from './grants';
import { generateScopeKeyPair } from './scope-keys';
import { generateStaffKeyPair, unlockPrivateKey, unlockPrivateKeyHere } from './staff-keys';
import type { StaffKeyMaterial } from './staff-keys';
import { UNLOCK_THREAD_IDLE_MS, unlockThreadAvailable, unlockThreadRunning } from './unlock-thread';

const passphrase = 'correct horse battery staple';

describe('unlocking a staff key on the unlock thread', () => {
  let staff: StaffKeyMaterial;

  beforeAll(async () => {
    staff = await generateStaffKeyPair({ name: 'Sam Handler', email: 'sam@council.example', passphrase });
  });

  it('unlocks on the thread into the key the calling thread unlocks, which opens the same grants', async () => {
    const threaded = await unlockPrivateKey(staff.encryptedPrivateKey, passphrase);
    expect(unlockThreadAvailable()).toBe(true);
    const here = await unlockPrivateKeyHere(staff.encryptedPrivateKey, passphrase);
    expect(threaded.fingerprint).toBe(here.fingerprint);
    expect(Buffer.from(threaded.serialize())).toEqual(Buffer.from(here.serialize()));
    const scope = await generateScopeKeyPair('report');
    const grant = await createGrant(scope.privateKey, threaded.publicKey());
    expect(Buffer.from(await openGrant(grant, threaded))).toEqual(Buffer.from(scope.privateKey));
  });

  it('refuses what the calling thread refuses, with the same codes', async () => {
    const unprotected = (
      await readPrivateKey({ binaryKey: (await generateScopeKeyPair('internal')).privateKey })
    ).armor();
    const cases: [string, string, 'WRONG_PASSPHRASE' | 'INVALID_KEY'][] = [
      [staff.encryptedPrivateKey, `${passphrase}!`, 'WRONG_PASSPHRASE'],
      [staff.encryptedPrivateKey, '', 'WRONG_PASSPHRASE'],
      ['-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n', passphrase, 'INVALID_KEY'],
      [staff.publicKey, passphrase, 'INVALID_KEY'],
      [unprotected, passphrase, 'INVALID_KEY'],
    ];
    for (const [key, words, code] of cases) {
      await expectCryptoError(unlockPrivateKey(key, words), code);
      await expectCryptoError(unlockPrivateKeyHere(key, words), code);
    }
    expect(unlockThreadAvailable()).toBe(true);
  });

  it('unlocks several at once, each into its own key', async () => {
    const other = await generateStaffKeyPair({
      name: 'Kim',
      email: 'kim@council.example',
      passphrase: 'another one',
    });
    const [a, b] = await Promise.all([
      unlockPrivateKey(staff.encryptedPrivateKey, passphrase),
      unlockPrivateKey(other.encryptedPrivateKey, 'another one'),
    ]);
    expect(a.fingerprint).toBe(staff.fingerprint);
    expect(b.fingerprint).toBe(other.fingerprint);
  });

  it('ends the thread a few seconds after the last unlock, giving its memory back, and starts it again when needed', async () => {
    // docs/performance.md "Memory": Argon2's 64 MiB and the thread's heap, 100–140 MB resident, were held
    // for a minute after every sign-in.
    expect(UNLOCK_THREAD_IDLE_MS).toBeLessThanOrEqual(5_000);
    await unlockPrivateKey(staff.encryptedPrivateKey, passphrase);
    expect(unlockThreadRunning()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, UNLOCK_THREAD_IDLE_MS + 500));
    expect(unlockThreadRunning()).toBe(false);
    const again = await unlockPrivateKey(staff.encryptedPrivateKey, passphrase);
    expect(again.fingerprint).toBe(staff.fingerprint);
    expect(unlockThreadRunning()).toBe(true);
  }, 30_000);
});
