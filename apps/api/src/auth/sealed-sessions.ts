/**
 * Server-side sessions that hold an unlocked private key (docs/architecture.md "Encryption model"), for
 * staff and for reporters alike. The token the client holds is `<id>.<secret>`; Redis holds, under
 * the id, the session's metadata, a hash of the secret, and the private key sealed with AES-256-GCM
 * under a key derived from the secret. The secret exists only in the token, so a copy of Redis (or of
 * Postgres) yields no usable private key and no session key. Idle expiry is the Redis TTL, refreshed
 * on use; an absolute lifetime caps it; sign-out deletes the entry.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { UnlockedKey } from '@nolan/crypto';
import type Redis from 'ioredis';

interface Stored<M> {
  meta: M;
  createdAt: number;
  secretHash: string;
  sealedKey: string;
}

export interface ResolvedSession<M> {
  sessionId: string;
  meta: M;
  secret: Buffer;
}

/** The session token from `Authorization: Bearer <id>.<secret>`, or null if the header is absent or malformed. */
export function bearerToken(authorization: string | undefined): string | null {
  return /^Bearer ([A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64})$/.exec(authorization ?? '')?.[1] ?? null;
}

function sealKey(secret: Buffer, sessionId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.from(sessionId), 'nolan/session-key/v1', 32));
}

export class SealedSessions<M> {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly idleSeconds: number,
    private readonly maxSeconds: number,
  ) {}

  private key(sessionId: string): string {
    return `${this.namespace}:${sessionId}`;
  }

  /** Creates a session holding `privateKey` (unencrypted bytes) sealed; returns the bearer token. */
  async create(meta: M, privateKey: Uint8Array): Promise<{ sessionId: string; token: string }> {
    const sessionId = randomBytes(16).toString('base64url');
    const secret = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', sealKey(secret, sessionId), iv);
    const body = Buffer.concat([cipher.update(privateKey), cipher.final()]);
    const stored: Stored<M> = {
      meta,
      createdAt: Date.now(),
      secretHash: createHash('sha256').update(secret).digest('base64url'),
      sealedKey: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url'),
    };
    await this.redis.set(this.key(sessionId), JSON.stringify(stored), 'EX', this.idleSeconds);
    return { sessionId, token: `${sessionId}.${secret.toString('base64url')}` };
  }

  /** The session for a token, refreshing its idle timer; null if unknown, expired or forged. */
  async resolve(token: string): Promise<ResolvedSession<M> | null> {
    const [sessionId, secretText, extra] = token.split('.');
    if (!sessionId || !secretText || extra !== undefined || sessionId.length > 64) return null;
    const stored = await this.read(sessionId);
    if (!stored) return null;
    const secret = Buffer.from(secretText, 'base64url');
    const expected = Buffer.from(stored.secretHash, 'base64url');
    const actual = createHash('sha256').update(secret).digest();
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const remaining = Math.floor((stored.createdAt + this.maxSeconds * 1000 - Date.now()) / 1000);
    if (remaining <= 0) {
      await this.destroy(sessionId);
      return null;
    }
    await this.redis.expire(this.key(sessionId), Math.min(this.idleSeconds, remaining));
    return { sessionId, meta: stored.meta, secret };
  }

  /** The private key sealed in the session, opened with the secret from the caller's token; null once the session has ended. */
  async unlockedKey(session: { sessionId: string; secret: Buffer }): Promise<UnlockedKey | null> {
    const stored = await this.read(session.sessionId);
    if (!stored) return null;
    const sealed = Buffer.from(stored.sealedKey, 'base64url');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      sealKey(session.secret, session.sessionId),
      sealed.subarray(0, 12),
    );
    decipher.setAuthTag(sealed.subarray(12, 28));
    return UnlockedKey.fromSerialized(
      new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()])),
    );
  }

  /** Replaces the session's metadata, keeping its key and remaining lifetime. */
  async updateMeta(sessionId: string, meta: M): Promise<void> {
    const stored = await this.read(sessionId);
    if (!stored) return;
    await this.redis.set(this.key(sessionId), JSON.stringify({ ...stored, meta }), 'KEEPTTL');
  }

  async destroy(sessionId: string): Promise<void> {
    await this.redis.del(this.key(sessionId));
  }

  private async read(sessionId: string): Promise<Stored<M> | null> {
    const raw = await this.redis.get(this.key(sessionId));
    return raw ? (JSON.parse(raw) as Stored<M>) : null;
  }
}
