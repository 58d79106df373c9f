/**
 * Proof that a reporter's request comes from someone willing to spend a little work on it, without
 * knowing anything about who they are (docs/abuse-resistance.md). With JavaScript, an ALTCHA proof of
 * work: we sign a challenge, the browser finds the number behind it, we check the signature and the
 * number and accept each solution once. Without JavaScript, a wait ticket (wait-ticket.ts).
 *
 * A challenge is bound to one tenant and one purpose through ALTCHA's salt parameters, which the
 * challenge hash (and so our signature) covers: a solution for one council or one form is refused by
 * another. It expires after `challengeTtlSeconds`; its single-use marker is kept in the set of the clock
 * hour it is spent in, long enough to outlive it (abuse-store.ts `claimSpent`).
 */
import { hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib';
import type { Payload } from 'altcha-lib/types';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../errors/app-error';
import { TenantsRepository } from '../tenants/tenants.repository';
import {
  ABUSE_OPTIONS,
  type AbuseOptions,
  type ChallengeMode,
  type HumanCheckPurpose,
  inMinutes,
} from './abuse-options';
import { AbuseStore } from './abuse-store';
import { type WaitTicketGrant, WaitTicketService } from './wait-ticket';

/** The challenge in the JSON shape the ALTCHA widget fetches from `challengeurl`. */
export interface AltchaChallenge {
  readonly algorithm: 'SHA-256';
  readonly challenge: string;
  readonly maxnumber: number;
  readonly salt: string;
  readonly signature: string;
}

/** What a reporter's request carries to show it comes from a person: exactly one of the two. */
export interface HumanProof {
  /** The ALTCHA widget's payload: base64 of { algorithm, challenge, number, salt, signature }. */
  readonly altcha?: string;
  /** A ticket from `GET …/challenge?mode=wait`, for browsers without JavaScript. */
  readonly waitTicket?: string;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const MAX_PAYLOAD_LENGTH = 2000;

/** How long a proof checked ahead of a request's files stays held for that request's handler. */
const HELD_MS = 10 * 60 * 1000;

@Injectable()
export class ProofOfWorkService implements ProofAheadOfFiles {
  /** ALTCHA takes its HMAC key as a string; ours is derived, so the session secret itself is never used. */
  private readonly hmacKey: string;
  /**
   * Proofs already checked and used up by the upload interceptor before it read any file
   * (attachments/streamed-uploads.interceptor.ts), waiting for the same request's service to ask:
   * tenant id, purpose and the proof itself, so no other council, form or proof can match.
   */
  private readonly held = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: AbuseStore,
    private readonly waitTickets: WaitTicketService,
    private readonly tenants: TenantsRepository,
    @Inject(ABUSE_OPTIONS) private readonly options: AbuseOptions,
  ) {
    this.hmacKey = Buffer.from(hkdfSync('sha256', config.sessionSecret, '', 'nolan/altcha/v1', 32)).toString(
      'hex',
    );
  }

  /** `GET /tenants/:slug/challenge`: a proof-of-work challenge, or (mode 'wait') a wait ticket. */
  async challengeFor(
    slug: string,
    purpose: HumanCheckPurpose,
    mode: ChallengeMode,
  ): Promise<AltchaChallenge | WaitTicketGrant> {
    const tenant = await this.tenants.requireBySlug(slug);
    return mode === 'wait'
      ? this.waitTickets.issue(tenant.id, purpose)
      : this.createChallenge(tenant.slug, purpose);
  }

  async createChallenge(tenantSlug: string, purpose: HumanCheckPurpose): Promise<AltchaChallenge> {
    const challenge = await createChallenge({
      algorithm: 'SHA-256',
      hmacKey: this.hmacKey,
      maxnumber: this.options.powMaxNumber,
      expires: new Date(Date.now() + this.options.challengeTtlSeconds * 1000),
      params: { tenant: tenantSlug, purpose },
    });
    return {
      algorithm: 'SHA-256',
      challenge: challenge.challenge,
      maxnumber: this.options.powMaxNumber,
      salt: challenge.salt,
      signature: challenge.signature,
    };
  }

  /**
   * Accepts a solved challenge once: our signature, the right number, this tenant and purpose, not
   * expired, not seen before. Anything else is a 400 saying which.
   */
  async verifyOnce(payload: string, tenantSlug: string, purpose: HumanCheckPurpose): Promise<void> {
    const solution = decodePayload(payload);
    if (solution.algorithm !== 'SHA-256' || !(await verifySolution(solution, this.hmacKey, false))) {
      throw new AppError(
        'INVALID_INPUT',
        'altcha does not verify: the solution is wrong or the challenge was not issued here',
      );
    }
    const params = extractParams(solution);
    if (params['tenant'] !== tenantSlug || params['purpose'] !== purpose) {
      throw new AppError(
        'INVALID_INPUT',
        'altcha was solved for another council or another form; fetch a new challenge',
      );
    }
    const expiresAt = Number(params['expires']) * 1000;
    const msLeft = expiresAt - Date.now();
    if (!(msLeft > 0)) {
      throw new AppError(
        'INVALID_INPUT',
        `altcha has expired (a challenge lasts ${inMinutes(this.options.challengeTtlSeconds)}); fetch a new challenge and solve it again`,
      );
    }
    // The signature names the challenge, and a challenge has exactly one solution. Kept spent in the set
    // of the clock hour it is spent in, so Redis never says when it was issued or solved within it.
    const fresh = await this.store.claimSpent(
      'altcha-used',
      solution.signature,
      expiresAt,
      this.options.challengeTtlSeconds,
    );
    if (!fresh) {
      throw new AppError(
        'INVALID_INPUT',
        'altcha has already been used; each solution works once. Fetch a new challenge.',
      );
    }
  }

  async checkAheadOfFiles(
    tenantSlug: string,
    proof: HumanProof,
    purpose: HumanCheckPurpose,
  ): Promise<HeldProof> {
    const tenant = await this.tenants.requireBySlug(tenantSlug);
    await this.assertHuman(tenant.slug, tenant.id, proof, purpose);
    const key = `${tenant.id}\0${purpose}\0${given(proof.altcha) ?? ''}\0${given(proof.waitTicket) ?? ''}`;
    const now = Date.now();
    for (const [k, until] of this.held) if (until <= now) this.held.delete(k);
    this.held.set(key, now + HELD_MS);
    return { release: () => this.held.delete(key) };
  }

  /**
   * The one check intake and receipt sign-in make: exactly one of `altcha` (verified and used up)
   * or `waitTicket` (redeemed against the tenant's no-JavaScript budget).
   */
  async assertHuman(
    tenantSlug: string,
    tenantId: string,
    proof: HumanProof,
    purpose: HumanCheckPurpose,
  ): Promise<void> {
    const altcha = given(proof.altcha);
    const waitTicket = given(proof.waitTicket);
    const heldKey = `${tenantId}\0${purpose}\0${altcha ?? ''}\0${waitTicket ?? ''}`;
    const heldUntil = this.held.get(heldKey);
    if (heldUntil !== undefined) {
      this.held.delete(heldKey);
      if (heldUntil > Date.now()) return;
    }
    if (altcha !== undefined && waitTicket !== undefined) {
      throw new AppError('INVALID_INPUT', 'Send altcha or waitTicket, not both');
    }
    if (altcha !== undefined) return this.verifyOnce(altcha, tenantSlug, purpose);
    if (waitTicket !== undefined) return this.waitTickets.redeem(waitTicket, tenantId, purpose);
    throw new AppError(
      'INVALID_INPUT',
      'altcha or waitTicket is required: the solved proof-of-work challenge, or, without JavaScript, a wait ticket',
    );
  }
}

export interface HeldProof {
  /** Forgets the proof if the request ended without its service asking (it stays used up). */
  release(): void;
}

export interface ProofAheadOfFiles {
  /**
   * Checks and uses up a proof before any file of the request is read, and holds it so that the
   * request's own `assertHuman` with the same proof passes once. A refusal is the same 400 or 429.
   */
  checkAheadOfFiles(tenantSlug: string, proof: HumanProof, purpose: HumanCheckPurpose): Promise<HeldProof>;
}

/** An empty field counts as not sent: a form without JavaScript may post the widget's field empty. */
function given(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : value;
}

function decodePayload(payload: unknown): Payload {
  const unreadable = new AppError(
    'INVALID_INPUT',
    'altcha is not an ALTCHA solution (base64 of JSON with algorithm, challenge, number, salt and signature)',
  );
  if (typeof payload !== 'string' || payload.length > MAX_PAYLOAD_LENGTH || !BASE64.test(payload)) {
    throw unreadable;
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    throw unreadable;
  }
  const candidate = decoded as Partial<Payload> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.algorithm !== 'string' ||
    typeof candidate.challenge !== 'string' ||
    !HEX_SHA256.test(candidate.challenge) ||
    typeof candidate.signature !== 'string' ||
    !HEX_SHA256.test(candidate.signature) ||
    typeof candidate.salt !== 'string' ||
    candidate.salt.length > 500 ||
    !Number.isSafeInteger(candidate.number) ||
    (candidate.number as number) < 0
  ) {
    throw unreadable;
  }
  return {
    algorithm: candidate.algorithm,
    challenge: candidate.challenge,
    number: candidate.number as number,
    salt: candidate.salt,
    signature: candidate.signature,
  };
}
