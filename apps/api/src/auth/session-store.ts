/**
 * Staff sessions in Redis (DESIGN.md "Encrypted case store"). The token the client holds is
 * `<id>.<secret>`; Redis holds, under the id, the session's metadata, a hash of the secret, and the
 * user's unlocked private key sealed with AES-256-GCM under a key derived from the secret. The secret
 * exists only in the token, so a copy of Redis (or of Postgres) yields no usable private key and no
 * session key. Idle expiry is the Redis TTL, refreshed on use; sign-out deletes the entry.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { StaffRole } from '@nolan/domain';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';

/** 'full' sessions act; 'totp_enrolment' sessions may only finish setting up two-factor sign-in. */
export type SessionScope = 'full' | 'totp_enrolment';

export interface StaffSession {
  readonly sessionId: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: readonly StaffRole[];
  readonly scope: SessionScope;
  readonly createdAt: number;
}

interface StoredSession extends Omit<StaffSession, 'sessionId'> {
  secretHash: string;
  sealedKey: string;
}

function sealKey(secret: Buffer, sessionId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.from(sessionId), 'nolan/session-key/v1', 32));
}

@Injectable()
export class SessionStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private key(sessionId: string): string {
    return `${this.config.redisPrefix}:session:${sessionId}`;
  }

  /** Creates a session holding `privateKey` (unencrypted bytes) sealed; returns the bearer token. */
  async create(
    session: Omit<StaffSession, 'sessionId' | 'createdAt'>,
    privateKey: Uint8Array,
  ): Promise<string> {
    const sessionId = randomBytes(16).toString('base64url');
    const secret = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', sealKey(secret, sessionId), iv);
    const body = Buffer.concat([cipher.update(privateKey), cipher.final()]);
    const stored: StoredSession = {
      ...session,
      createdAt: Date.now(),
      secretHash: createHash('sha256').update(secret).digest('base64url'),
      sealedKey: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url'),
    };
    await this.redis.set(this.key(sessionId), JSON.stringify(stored), 'EX', this.config.sessionIdleSeconds);
    await this.redis.sadd(this.userIndexKey(session.userId), sessionId);
    return `${sessionId}.${secret.toString('base64url')}`;
  }

  /** The session for a token, refreshing its idle timer; null if unknown, expired or forged. */
  async resolve(token: string): Promise<{ session: StaffSession; secret: Buffer } | null> {
    const [sessionId, secretText, extra] = token.split('.');
    if (!sessionId || !secretText || extra !== undefined || sessionId.length > 64) return null;
    const raw = await this.redis.get(this.key(sessionId));
    if (!raw) return null;
    const stored = JSON.parse(raw) as StoredSession;
    const secret = Buffer.from(secretText, 'base64url');
    const expected = Buffer.from(stored.secretHash, 'base64url');
    const actual = createHash('sha256').update(secret).digest();
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const remainingAbsolute = Math.floor(
      (stored.createdAt + this.config.sessionMaxSeconds * 1000 - Date.now()) / 1000,
    );
    if (remainingAbsolute <= 0) {
      await this.destroy(sessionId, stored.userId);
      return null;
    }
    await this.redis.expire(this.key(sessionId), Math.min(this.config.sessionIdleSeconds, remainingAbsolute));
    const { secretHash: _h, sealedKey: _k, ...session } = stored;
    return { session: { ...session, sessionId }, secret };
  }

  /** The private key sealed in the session, opened with the secret from the caller's token. */
  async privateKey(sessionId: string, secret: Buffer): Promise<Uint8Array | null> {
    const raw = await this.redis.get(this.key(sessionId));
    if (!raw) return null;
    const sealed = Buffer.from((JSON.parse(raw) as StoredSession).sealedKey, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', sealKey(secret, sessionId), sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]));
  }

  /** Turns an enrolment session into a full one once two-factor sign-in is confirmed. */
  async upgrade(sessionId: string): Promise<void> {
    const raw = await this.redis.get(this.key(sessionId));
    if (!raw) return;
    const stored = { ...(JSON.parse(raw) as StoredSession), scope: 'full' as const };
    await this.redis.set(this.key(sessionId), JSON.stringify(stored), 'KEEPTTL');
  }

  async destroy(sessionId: string, userId: string): Promise<void> {
    await this.redis.del(this.key(sessionId));
    await this.redis.srem(this.userIndexKey(userId), sessionId);
  }

  /** Ends every session of a user (password change elsewhere, recovery, two-factor reset). */
  async destroyAllFor(userId: string, except?: string): Promise<void> {
    const ids = await this.redis.smembers(this.userIndexKey(userId));
    for (const id of ids) if (id !== except) await this.destroy(id, userId);
  }

  private userIndexKey(userId: string): string {
    return `${this.config.redisPrefix}:user-sessions:${userId}`;
  }
}
