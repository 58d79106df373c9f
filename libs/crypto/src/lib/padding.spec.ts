import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { bucketOf, SMALLEST_BUCKET } from './padding';
import { decryptWithScope, encryptToScope, generateScopeKeyPair } from './scope-keys';

describe('size buckets', () => {
  it('puts every short text in one bucket, then powers of two, then Padmé', () => {
    expect(bucketOf(1)).toBe(SMALLEST_BUCKET);
    expect(bucketOf(4096)).toBe(4096);
    expect(bucketOf(4097)).toBe(8192);
    expect(bucketOf(40_000)).toBe(65536);
    expect(bucketOf(70_000)).toBe(bucketOf(70_500));
  });

  it('never shrinks, and costs at most double up to 64 KiB and under 12% beyond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000_000 }), (length) => {
        const bucket = bucketOf(length);
        expect(bucket).toBeGreaterThanOrEqual(length);
        if (length > 65536) expect(bucket / length).toBeLessThan(1.12);
        else expect(bucket).toBeLessThanOrEqual(Math.max(SMALLEST_BUCKET, 2 * length));
      }),
    );
  });
});

describe('encryptToScope padding', () => {
  it('gives texts a few hundred bytes apart ciphertexts of equal length, and decrypts each exactly', async () => {
    const scope = await generateScopeKeyPair('report');
    const short = 'a'.repeat(300);
    const long = `${'b'.repeat(900)} é`;
    const [one, two] = await Promise.all([
      encryptToScope(short, scope.publicKey),
      encryptToScope(long, scope.publicKey),
    ]);
    expect(one.length).toBe(two.length);
    expect(new TextDecoder().decode(await decryptWithScope(one, scope.privateKey))).toBe(short);
    expect(new TextDecoder().decode(await decryptWithScope(two, scope.privateKey))).toBe(long);
  });

  it('gives files of different sizes in one bucket ciphertexts of equal length, at every header size', async () => {
    const scope = await generateScopeKeyPair('report');
    for (const [a, b] of [
      [10, 3000],
      [5000, 8000],
      [70_000, 71_000],
      [190, 192],
      [8380, 8390],
      [300_000, 302_000],
      // Padding of more than 64 KiB (a 9 MB file's bucket is 256 KiB wide).
      [9_000_000, 9_100_000],
    ]) {
      const first = randomBytes(a);
      const second = randomBytes(b);
      const [x, y] = await Promise.all([
        encryptToScope(first, scope.publicKey),
        encryptToScope(second, scope.publicKey),
      ]);
      expect([a, b, x.length]).toEqual([a, b, y.length]);
      expect(Buffer.from(await decryptWithScope(x, scope.privateKey)).equals(first)).toBe(true);
      expect(Buffer.from(await decryptWithScope(y, scope.privateKey)).equals(second)).toBe(true);
    }
  });
});
