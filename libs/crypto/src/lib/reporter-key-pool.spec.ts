// The reporter key pool (docs/performance.md "Key pairs ahead of need"): every pair handed out once,
// dated to the hour like a pair made on demand, none kept from an earlier hour, and the receipt's lock
// made in the request that takes the pair.
import { readKey } from 'openpgp';
import { createGrant, openGrant } from './grants';
import { PublicKeyHandle } from './key-handles';
import { packetDate } from './openpgp-settings';
import { type PooledReporterKey, ReporterKeyPool, generateReporterKeyPair } from './reporter-key-pool';
import { createReporterKey, unlockReporterKey } from './reporter-keys';
import { generateScopeKeyPair } from './scope-keys';

const receipt = 'stoic-banjo-turret-quill-amber-lilac-pelican';

describe('the reporter key pool', () => {
  it('hands out each pair once, dated to the hour, and refills itself', async () => {
    const pool = new ReporterKeyPool(2);
    await pool.fill();
    expect(pool.readyCount()).toBe(2);
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { key, publicKey } = await pool.take();
      expect(seen.has(key.getFingerprint())).toBe(false);
      seen.add(key.getFingerprint());
      expect(key.getCreationTime().getTime()).toBe(packetDate().getTime());
      expect(key.getUserIDs()).toEqual(['Nolan reporter']);
      expect((await readKey({ binaryKey: publicKey })).getFingerprint()).toBe(key.getFingerprint());
      expect(key.isDecrypted()).toBe(true);
    }
    // Taking started a refill between requests: it tops the pool up again without being asked.
    for (let i = 0; i < 200 && pool.readyCount() < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pool.readyCount()).toBe(2);
  });

  it('never hands out a pair made in an earlier hour, nor keeps one', async () => {
    const HOUR = 60 * 60 * 1000;
    let now = Date.now();
    const madeIn = new Map<PooledReporterKey, string>();
    // Real pairs, noted with the (test clock's) hour they were made in.
    const generate = async () => {
      const pair = await generateReporterKeyPair();
      madeIn.set(pair, packetDate(now).toISOString());
      return pair;
    };
    const pool = new ReporterKeyPool(1, () => now, generate);
    await pool.fill();
    const hourBefore = packetDate(now).toISOString();
    expect(pool.readyCount()).toBe(1);
    now += HOUR;
    expect(pool.readyCount()).toBe(0);
    const taken = await pool.take();
    expect(madeIn.get(taken)).toBe(packetDate(now).toISOString());
    expect(madeIn.get(taken)).not.toBe(hourBefore);
    // The pair of the hour before is gone, not set aside: back in that hour, none is ready.
    now -= HOUR;
    expect(pool.readyCount()).toBe(0);
  });

  it('is where createReporterKey takes the reporter’s key from, each pair for one reporter only', async () => {
    const pool = new ReporterKeyPool(3);
    await pool.fill();
    const first = await createReporterKey(receipt, pool);
    const second = await createReporterKey(receipt, pool);
    expect(pool.readyCount()).toBe(1);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    // The pooled key is locked under the receipt in the request: it unlocks with it and reads its grants.
    const unlocked = await unlockReporterKey(first, receipt);
    expect(unlocked.fingerprint).toBe(first.fingerprint);
    expect(unlocked.publicKey().toBinary()).toEqual(first.publicKey);
    const scope = await generateScopeKeyPair('report');
    const grant = await createGrant(scope.privateKey, await PublicKeyHandle.parse(first.publicKey));
    expect(await openGrant(grant, unlocked)).toEqual(scope.privateKey);
    expect(await openGrant(grant, first.unlocked)).toEqual(scope.privateKey);
  });

  it('makes a pair on demand when none of this hour is ready', async () => {
    let made = 0;
    const pool = new ReporterKeyPool(0, Date.now, async () => {
      made += 1;
      return generateReporterKeyPair();
    });
    const material = await createReporterKey(receipt, pool);
    expect(made).toBe(1);
    expect((await unlockReporterKey(material, receipt)).fingerprint).toBe(material.fingerprint);
  });
});
