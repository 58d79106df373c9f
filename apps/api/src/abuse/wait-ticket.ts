/**
 * The path for browsers without JavaScript (docs/abuse-resistance.md). Tor Browser on "Safest" cannot
 * solve a proof of work, so it may wait instead: GET …/challenge?mode=wait returns a ticket we sign,
 * redeemable once, no sooner than `waitSeconds` and no later than `waitTicketTtlSeconds` after issue.
 *
 * The wait alone stops nothing (anyone can hold many tickets at once); the budget does. Each tenant
 * accepts at most `waitTicketsPerHour` redeemed tickets per purpose per hour, counted per tenant and
 * never per person, so using this path needs no address, cookie or fingerprint. Issuing a ticket
 * stores nothing; only redeeming one writes a marker (its random id) and spends a unit of the budget.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AppError } from '../errors/app-error';
import {
  ABUSE_OPTIONS,
  type AbuseOptions,
  HUMAN_CHECK_PURPOSES,
  type HumanCheckPurpose,
  inMinutes,
} from './abuse-options';
import { AbuseStore, type CountWindows } from './abuse-store';

export interface WaitTicketGrant {
  /** Opaque; send it back as `waitTicket` once `waitSeconds` have passed. */
  readonly waitTicket: string;
  readonly waitSeconds: number;
}

/** What a ticket says, signed. Tenant by id, so renaming a slug cannot strand or widen a ticket. */
interface TicketBody {
  v: 1;
  /** tenant id */
  t: string;
  /** purpose */
  p: HumanCheckPurpose;
  /** issued at, epoch ms */
  iat: number;
  /** random, names the used-marker */
  id: string;
}

/** The no-JavaScript allowance's window: an hour from the council's first ticket redeemed. */
const BUDGET_WINDOW_SECONDS = 3600;
const TICKET_SHAPE = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/;
const BUDGET_SPENT: Record<HumanCheckPurpose, string> = {
  submission: 'Too many reports are being sent without JavaScript right now.',
  'reporter-session': 'Too many people are signing in without JavaScript right now.',
};

@Injectable()
export class WaitTicketService {
  private readonly key: Buffer;
  /** The hour from the first ticket redeemed; its end sealed, its key expiring on an hour (abuse-store.ts). */
  private readonly budget: CountWindows;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: AbuseStore,
    @Inject(ABUSE_OPTIONS) private readonly options: AbuseOptions,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', config.sessionSecret, '', 'nolan/wait-ticket/v1', 32));
    this.budget = store.windows('no-js-budget', BUDGET_WINDOW_SECONDS);
  }

  /**
   * A ticket for this tenant and purpose. Refused with 429 at once if the hour's budget is already
   * spent, so a person without JavaScript learns it before writing a report rather than after.
   */
  async issue(tenantId: string, purpose: HumanCheckPurpose): Promise<WaitTicketGrant> {
    const state = await this.budget.get(budgetKey(tenantId, purpose));
    if (state && state.msLeft > 0 && state.count >= this.options.waitTicketsPerHour) {
      throw budgetSpent(purpose);
    }
    const body: TicketBody = {
      v: 1,
      t: tenantId,
      p: purpose,
      iat: Date.now(),
      id: randomBytes(12).toString('base64url'),
    };
    const encoded = Buffer.from(JSON.stringify(body)).toString('base64url');
    return { waitTicket: `${encoded}.${this.sign(encoded)}`, waitSeconds: this.options.waitSeconds };
  }

  /**
   * Accepts a ticket once, for the tenant and purpose it was issued for, between `waitSeconds` and
   * `waitTicketTtlSeconds` after issue, while the tenant's hourly budget lasts. A ticket refused for
   * being early, or because the budget is spent, can be sent again later.
   */
  async redeem(ticket: string, tenantId: string, purpose: HumanCheckPurpose): Promise<void> {
    const body = this.open(ticket);
    if (body.t !== tenantId || body.p !== purpose) {
      throw new AppError(
        'INVALID_INPUT',
        'waitTicket was issued for another council or another form; fetch a new one',
      );
    }
    const age = Date.now() - body.iat;
    const lifetimeMs = this.options.waitTicketTtlSeconds * 1000;
    if (age >= lifetimeMs) {
      throw new AppError(
        'INVALID_INPUT',
        `waitTicket has expired (a ticket lasts ${inMinutes(this.options.waitTicketTtlSeconds)}); fetch a new one`,
      );
    }
    const earlyBy = this.options.waitSeconds * 1000 - age;
    if (earlyBy > 0) {
      const seconds = Math.ceil(earlyBy / 1000);
      throw new AppError(
        'INVALID_INPUT',
        `waitTicket is not ready yet: wait ${seconds} more second${seconds === 1 ? '' : 's'}`,
      );
    }

    // Claim first, then spend: a replayed ticket must never spend the budget.
    // Kept spent in the set of the clock hour it is redeemed in, so Redis never says when it was issued
    // or redeemed within it.
    const lapsesAt = body.iat + lifetimeMs;
    const lifetime = this.options.waitTicketTtlSeconds;
    if (!(await this.store.claimSpent('wait-ticket-used', body.id, lapsesAt, lifetime))) {
      throw new AppError(
        'INVALID_INPUT',
        'waitTicket has already been used; each ticket works once. Fetch a new one.',
      );
    }
    let spent: { count: number; msLeft: number };
    try {
      spent = await this.budget.add(budgetKey(tenantId, purpose), 1);
    } catch (error) {
      await this.store.releaseSpent('wait-ticket-used', body.id, lapsesAt, lifetime);
      throw error;
    }
    if (spent.count > this.options.waitTicketsPerHour) {
      await this.store.releaseSpent('wait-ticket-used', body.id, lapsesAt, lifetime);
      throw budgetSpent(purpose);
    }
  }

  private sign(encoded: string): string {
    return createHmac('sha256', this.key).update(encoded).digest('base64url');
  }

  private open(ticket: string): TicketBody {
    const match = TICKET_SHAPE.exec(ticket);
    if (!match || !timingSafeEqual(Buffer.from(this.sign(match[1])), Buffer.from(match[2]))) {
      throw notOurs();
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8'));
    } catch {
      throw notOurs();
    }
    if (!isTicketBody(body)) throw notOurs();
    return body;
  }
}

function isTicketBody(value: unknown): value is TicketBody {
  const body = value as Partial<TicketBody> | null;
  return (
    typeof body === 'object' &&
    body !== null &&
    body.v === 1 &&
    typeof body.t === 'string' &&
    (HUMAN_CHECK_PURPOSES as readonly unknown[]).includes(body.p) &&
    Number.isSafeInteger(body.iat) &&
    typeof body.id === 'string'
  );
}

function budgetKey(tenantId: string, purpose: HumanCheckPurpose): string {
  return `${tenantId}:${purpose}`;
}

function notOurs(): AppError {
  return new AppError('INVALID_INPUT', 'waitTicket is not a wait ticket this service issued');
}

/**
 * The allowance's hour runs from the council's first ticket, redeemed by someone else: how much of it is
 * left would say, to the second, when they sent their report (docs/architecture.md "Redis hygiene"). So
 * the answer always names the whole hour, whatever is left of it: a caller who waits that long is sure
 * to find a new hour, and learns nothing of anyone else's.
 */
function budgetSpent(purpose: HumanCheckPurpose): AppError {
  const seconds = BUDGET_WINDOW_SECONDS;
  return new AppError(
    'TOO_MANY_REQUESTS',
    `${BUDGET_SPENT[purpose]} Switch JavaScript on, or try again in ${inMinutes(seconds)}.`,
    seconds,
  );
}
