// The scope key pool (docs/performance.md "Key pairs ahead of need"): every pair handed out once, for its
// scope, dated to the hour like a pair made on demand, and none kept from an earlier hour.
import { readPrivateKey } from 'openpgp';
import { packetDate } from './openpgp-settings';
import { ScopeKeyPool } from './scope-key-pool';
import { SCOPES, decryptWithScope, encryptToScope } from './scope-keys';

describe('the scope key pool', () => {
  it('hands out each pair once, of the scope asked for, dated to the hour, and refills itself', async () => {
    const pool = new ScopeKeyPool(2);
    await pool.fill();
    for (const scope of SCOPES) expect(pool.readyCount(scope)).toBe(2);
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      for (const scope of SCOPES) {
        const pair = await pool.take(scope);
        expect(pair.scope).toBe(scope);
        expect(seen.has(pair.fingerprint)).toBe(false);
        seen.add(pair.fingerprint);
        const key = await readPrivateKey({ binaryKey: pair.privateKey });
        expect(key.getCreationTime().getTime()).toBe(packetDate().getTime());
        expect(key.getUserIDs()).toEqual([`Nolan case scope: ${scope}`]);
        const plain = await decryptWithScope(
          await encryptToScope('a report', pair.publicKey),
          pair.privateKey,
        );
        expect(new TextDecoder().decode(plain)).toBe('a report');
      }
    }
    // Taking started a refill between requests: it tops the pool up again without being asked.
    for (let i = 0; i < 200 && SCOPES.some((s) => pool.readyCount(s) < 2); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    for (const scope of SCOPES) expect(pool.readyCount(scope)).toBe(2);
  });

  it('never hands out a pair made in an earlier hour, nor keeps one', async () => {
    const HOUR = 60 * 60 * 1000;
    let now = Date.now();
    let made = 0;
    // Stand-in pairs that say which hour they were made in (the real ones are tested above).
    const generate = async (scope: (typeof SCOPES)[number]) => ({
      scope,
      publicKey: new Uint8Array(),
      privateKey: new Uint8Array(),
      fingerprint: `${packetDate(now).toISOString()} #${made++}`,
    });
    const pool = new ScopeKeyPool(1, () => now, generate);
    await pool.fill();
    const madeBefore = packetDate(now).toISOString();
    expect(pool.readyCount('report')).toBe(1);
    now += HOUR;
    expect(pool.readyCount('report')).toBe(0);
    const taken = await pool.take('report');
    expect(taken.fingerprint.startsWith(packetDate(now).toISOString())).toBe(true);
    expect(taken.fingerprint.startsWith(madeBefore)).toBe(false);
    // The pair of the hour before is gone, not set aside: back in that hour, none is ready.
    now -= HOUR;
    expect(pool.readyCount('report')).toBe(0);
  });
});
