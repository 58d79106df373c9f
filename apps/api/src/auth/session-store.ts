/**
 * Staff sessions: a SealedSessions store (see sealed-sessions.ts) keyed per user as well, so every
 * session of a user can be ended at once (password change, recovery).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { StaffRole } from '@nolan/domain';
import type { UnlockedKey } from '@nolan/crypto';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../errors/app-error';
import { REDIS } from '../redis/redis.module';
import { SealedSessions } from './sealed-sessions';

/**
 * 'full' sessions act; 'totp_enrolment' sessions may only finish setting up two-factor sign-in;
 * 'password_change' sessions may only choose the person's own password (issue #15).
 */
export type SessionScope = 'full' | 'totp_enrolment' | 'password_change';

export interface StaffSessionMeta {
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: readonly StaffRole[];
  readonly scope: SessionScope;
}

export interface StaffSession extends StaffSessionMeta {
  readonly sessionId: string;
}

@Injectable()
export class SessionStore {
  private readonly sessions: SealedSessions<StaffSessionMeta>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sessions = new SealedSessions(
      redis,
      `${config.redisPrefix}:session`,
      config.sessionIdleSeconds,
      config.sessionMaxSeconds,
    );
  }

  /** Creates a session holding `privateKey` (unencrypted bytes) sealed; returns the bearer token. */
  async create(meta: StaffSessionMeta, privateKey: Uint8Array): Promise<string> {
    const { sessionId, token } = await this.sessions.create(meta, privateKey);
    await this.redis.sadd(this.userIndexKey(meta.userId), sessionId);
    await this.redis.expire(this.userIndexKey(meta.userId), this.config.sessionMaxSeconds);
    return token;
  }

  async resolve(token: string): Promise<{ session: StaffSession; secret: Buffer } | null> {
    const resolved = await this.sessions.resolve(token);
    if (!resolved) return null;
    return { session: { ...resolved.meta, sessionId: resolved.sessionId }, secret: resolved.secret };
  }

  /** The signed-in user's private key, from their session; 401 if the session has just ended. */
  async unlockedKey(staff: { session: StaffSession; secret: Buffer }): Promise<UnlockedKey> {
    const key = await this.sessions.unlockedKey({ sessionId: staff.session.sessionId, secret: staff.secret });
    if (!key) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
    return key;
  }

  /** Turns an enrolment (or password-change) session into a full one, or into `scope`. */
  async upgrade(session: StaffSession, scope: SessionScope = 'full'): Promise<void> {
    const { sessionId: _id, ...meta } = session;
    await this.sessions.updateMeta(session.sessionId, { ...meta, scope });
  }

  async destroy(sessionId: string, userId: string): Promise<void> {
    await this.sessions.destroy(sessionId);
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
