/**
 * Server-side sessions that hold an unlocked private key (docs/architecture.md "Encryption model"), for
 * staff and for reporters alike. The token the client holds is `<id>.<secret>`; Redis holds, under
 * the id, the session's metadata, a hash of the secret, and the private key sealed with AES-256-GCM
 * under a key derived from the secret. The secret exists only in the token, so a copy of Redis (or of
 * Postgres) yields no usable private key and no session key. Idle expiry is the Redis TTL, refreshed
 * on use; an absolute lifetime caps it; sign-out deletes the entry.
 *
 * With `sealMeta` (reporter sessions, docs/architecture.md "Reporter time") the metadata, the creation
 * time and the time of last use are sealed too, so a copy of Redis cannot tie a session to a case or say
 * when it began or was last used: idle expiry is then checked against the sealed time of last use, and
 * the Redis entry expires on an hour boundary (the end of the hour after its last use), so its TTL says
 * no more than the hour.
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
  /** Absent when sealed in `sealedMeta`. */
  meta?: M;
  createdAt?: number;
  secretHash: string;
  sealedKey: string;
  /** `{ meta, createdAt }` sealed under the session key, with `sealMeta`. */
  sealedMeta?: string;
}

export interface SealedSessionOptions {
  /** Seal the metadata, creation time and time of last use as well as the key; expire on the hour. */
  readonly sealMeta?: boolean;
  /** The clock idle and absolute limits are read on (epoch ms); `Date.now` unless given. */
  readonly now?: () => number;
}

const HOUR_MS = 3_600_000;

/** What `sealMeta` seals: the metadata and the session's two times. */
interface SealedMeta<M> {
  meta: M;
  createdAt: number;
  /** Absent in sessions sealed before idle time was sealed: their Redis TTL still bounds them. */
  usedAt?: number;
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

function seal(key: Buffer, plain: Uint8Array): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function open(key: Buffer, sealedText: string): Buffer {
  const sealed = Buffer.from(sealedText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

export class SealedSessions<M> {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly idleSeconds: number,
    private readonly maxSeconds: number,
    private readonly options: SealedSessionOptions = {},
  ) {}

  private key(sessionId: string): string {
    return `${this.namespace}:${sessionId}`;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /**
   * With `sealMeta`, when Redis forgets the entry: the end of the hour after its last use (Redis's own
   * clock), which is later than the idle limit and says only the hour of that use.
   */
  private static hourExpiry(): number {
    return (Math.floor(Date.now() / HOUR_MS) + 2) * (HOUR_MS / 1000);
  }

  private async writeSealed(sessionId: string, stored: Stored<M>, key: Buffer, sealed: SealedMeta<M>) {
    const value: Stored<M> = {
      secretHash: stored.secretHash,
      sealedKey: stored.sealedKey,
      sealedMeta: seal(key, Buffer.from(JSON.stringify(sealed), 'utf8')),
    };
    await this.redis.set(this.key(sessionId), JSON.stringify(value), 'EXAT', SealedSessions.hourExpiry());
  }

  /** Creates a session holding `privateKey` (unencrypted bytes) sealed; returns the bearer token. */
  async create(meta: M, privateKey: Uint8Array): Promise<{ sessionId: string; token: string }> {
    const sessionId = randomBytes(16).toString('base64url');
    const secret = randomBytes(32);
    const key = sealKey(secret, sessionId);
    const secretHash = createHash('sha256').update(secret).digest('base64url');
    const sealedKey = seal(key, privateKey);
    const createdAt = this.now();
    if (this.options.sealMeta) {
      await this.writeSealed(sessionId, { secretHash, sealedKey }, key, {
        meta,
        createdAt,
        usedAt: createdAt,
      });
    } else {
      const stored: Stored<M> = { meta, createdAt, secretHash, sealedKey };
      await this.redis.set(this.key(sessionId), JSON.stringify(stored), 'EX', this.idleSeconds);
    }
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
    const now = this.now();
    if (stored.sealedMeta) {
      const key = sealKey(secret, sessionId);
      const sealed = JSON.parse(open(key, stored.sealedMeta).toString('utf8')) as SealedMeta<M>;
      const idle = sealed.usedAt !== undefined && now - sealed.usedAt >= this.idleSeconds * 1000;
      if (idle || now >= sealed.createdAt + this.maxSeconds * 1000) {
        await this.destroy(sessionId);
        return null;
      }
      await this.writeSealed(sessionId, stored, key, { ...sealed, usedAt: now });
      return { sessionId, meta: sealed.meta, secret };
    }
    const meta = stored.meta as M;
    const remaining = Math.floor(((stored.createdAt ?? 0) + this.maxSeconds * 1000 - now) / 1000);
    if (remaining <= 0) {
      await this.destroy(sessionId);
      return null;
    }
    await this.redis.expire(this.key(sessionId), Math.min(this.idleSeconds, remaining));
    return { sessionId, meta, secret };
  }

  /** The private key sealed in the session, opened with the secret from the caller's token; null once the session has ended. */
  async unlockedKey(session: { sessionId: string; secret: Buffer }): Promise<UnlockedKey | null> {
    const stored = await this.read(session.sessionId);
    if (!stored) return null;
    return UnlockedKey.fromSerialized(
      new Uint8Array(open(sealKey(session.secret, session.sessionId), stored.sealedKey)),
    );
  }

  /**
   * Replaces sealed metadata, with the secret from the caller's token (only the session's own holder can),
   * keeping its key, creation time, time of last use and remaining lifetime.
   */
  async resealMeta(session: { sessionId: string; secret: Buffer }, meta: M): Promise<void> {
    const stored = await this.read(session.sessionId);
    if (!stored) return;
    if (!stored.sealedMeta) throw new Error('only sealed metadata is resealed');
    const key = sealKey(session.secret, session.sessionId);
    // The session's times go with the new metadata: without its last use the idle limit would stop
    // applying to it (a session sealed before idle time was sealed is given this use as its last).
    const sealed = JSON.parse(open(key, stored.sealedMeta).toString('utf8')) as SealedMeta<M>;
    const next: SealedMeta<M> = { meta, createdAt: sealed.createdAt, usedAt: sealed.usedAt ?? this.now() };
    const sealedMeta = seal(key, Buffer.from(JSON.stringify(next), 'utf8'));
    await this.redis.set(this.key(session.sessionId), JSON.stringify({ ...stored, sealedMeta }), 'KEEPTTL');
  }

  /** Replaces the session's metadata, keeping its key and remaining lifetime. */
  async updateMeta(sessionId: string, meta: M): Promise<void> {
    const stored = await this.read(sessionId);
    if (!stored) return;
    if (stored.sealedMeta) throw new Error('sealed metadata is replaced only by a new session');
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
