/**
 * The knobs of abuse resistance (docs/abuse-resistance.md), in one place so the documented costs and
 * the code cannot drift apart. Production uses DEFAULT_ABUSE_OPTIONS; tests provide smaller numbers
 * under ABUSE_OPTIONS.
 */

/** What a human check is for. A proof made for one purpose is refused for the other. */
export const HUMAN_CHECK_PURPOSES = ['submission', 'reporter-session'] as const;
export type HumanCheckPurpose = (typeof HUMAN_CHECK_PURPOSES)[number];

/** How the caller proves it is a person: a solved proof of work, or (JavaScript off) a wait ticket. */
export const CHALLENGE_MODES = ['pow', 'wait'] as const;
export type ChallengeMode = (typeof CHALLENGE_MODES)[number];

export interface AbuseOptions {
  /**
   * ALTCHA's `maxnumber`: the secret number is drawn from 1..maxnumber, so a solver needs
   * maxnumber / 2 SHA-256 hashes on average.
   */
  readonly powMaxNumber: number;
  /** A challenge (and so its solution) is accepted for this long after it is issued. */
  readonly challengeTtlSeconds: number;
  /** A wait ticket is redeemable no sooner than this after it is issued… */
  readonly waitSeconds: number;
  /** …and no later than this. */
  readonly waitTicketTtlSeconds: number;
  /** Wait tickets redeemed per tenant, per purpose, per hour: the whole no-JavaScript allowance. */
  readonly waitTicketsPerHour: number;
}

export const DEFAULT_ABUSE_OPTIONS: AbuseOptions = {
  // 150,000: ~0.7 s on average in Chromium with the widget's two workers on a 2-core machine
  // (~100,000 WebCrypto hashes/s per worker), ~1.5 s at worst; see docs/abuse-resistance.md.
  powMaxNumber: 150_000,
  challengeTtlSeconds: 10 * 60,
  waitSeconds: 15,
  waitTicketTtlSeconds: 30 * 60,
  waitTicketsPerHour: 30,
};

export const ABUSE_OPTIONS = Symbol('ABUSE_OPTIONS');

/** Seconds → "N minute(s)", rounded up, for messages that tell a person how long to wait. */
export function inMinutes(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Milliseconds left on a limiter → whole seconds for Retry-After (at least 1). */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}
