/**
 * Sealing small pieces of portal state into opaque strings (AES-256-GCM under a key derived from
 * PORTAL_SESSION_SECRET): a reporter's unfinished answers carried between pages in a hidden field, so
 * nothing about an unsent report is stored anywhere or put in a cookie; a staff user's API token in their
 * session cookie. Each use has its own purpose label, so a value sealed for one can never be opened as
 * the other, and each carries an expiry.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export type SealPurpose = 'reporter-draft' | 'reporter-session' | 'staff-session' | 'staff-sign-in';

export class Sealer {
  private readonly keys = new Map<SealPurpose, Buffer>();

  constructor(private readonly secret: string) {}

  /** The value, sealed until `ttlSeconds` from now, as a URL- and form-safe string. */
  seal(purpose: SealPurpose, value: unknown, ttlSeconds: number, now = Date.now()): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(purpose), iv);
    const plain = Buffer.from(JSON.stringify({ v: value, exp: now + ttlSeconds * 1000 }), 'utf8');
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The value, or undefined if the string was not sealed by us for this purpose, was altered, or has expired. */
  open<T>(purpose: SealPurpose, token: string | undefined, now = Date.now()): T | undefined {
    if (!token || token.length > 2_000_000) return undefined;
    try {
      const raw = Buffer.from(token, 'base64url');
      if (raw.length < 29) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.key(purpose), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
      const { v, exp } = JSON.parse(plain.toString('utf8')) as { v: T; exp: number };
      return typeof exp === 'number' && exp > now ? v : undefined;
    } catch {
      return undefined;
    }
  }

  private key(purpose: SealPurpose): Buffer {
    let key = this.keys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.secret, 'nolan-portal', `seal:${purpose}`, 32));
      this.keys.set(purpose, key);
    }
    return key;
  }
}
