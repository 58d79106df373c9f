/**
 * The proof that a person is sending (docs/abuse-resistance.md), for sending a report and for receipt
 * sign-in. With JavaScript the ALTCHA widget solves a proof of work in the browser and posts it as
 * `altcha`. Without JavaScript the API's wait ticket stands in: the page is served with a ticket
 * inside <noscript> (so only a browser without JavaScript posts it), and if the reporter presses the
 * button before the ticket's 15 seconds are up, the portal holds the request for the rest of them
 * rather than send them to a "wait, then press again" page. If there is no usable ticket (the page was
 * left open past its 30 minutes, or the widget had not finished), the portal fetches one and waits the
 * 15 seconds itself. Nothing is stored anywhere: the ticket and the time it was issued travel in the
 * page, and waiting is the only cost, exactly as the API designed it.
 */
import { Injectable } from '@nestjs/common';
import { ApiProblem, ApiUnavailable } from '../api/api-http';
import { type HumanCheckPurpose, type HumanProof, ReporterApi } from '../api/reporter-api';

/** What a page without JavaScript carries: the ticket, and when the portal was given it. */
export interface NoScriptTicket {
  readonly waitTicket: string;
  readonly issuedAt: number;
  readonly waitSeconds: number;
}

/** A ticket for the page, or why there is none (the council's no-JavaScript allowance is spent). */
export type TicketForPage = { ticket: NoScriptTicket } | { unavailable: string };

const NO_TICKET_NOW =
  'Without JavaScript, sending takes 15 seconds: press the button once and wait. If it does not work, try again in a few minutes.';

/** Never hold a request longer than this, whatever a posted `issuedAt` claims. */
const MAX_WAIT_MS = 20_000;
/** A little slack over the API's own clock. */
const SLACK_MS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

@Injectable()
export class HumanProofService {
  constructor(private readonly api: ReporterApi) {}

  /** A wait ticket to put in the page, issued now (issuing costs nothing and stores nothing). */
  async ticketForPage(slug: string, purpose: HumanCheckPurpose): Promise<TicketForPage> {
    try {
      const { waitTicket, waitSeconds } = await this.api.waitTicket(slug, purpose);
      return { ticket: { waitTicket, waitSeconds, issuedAt: Date.now() } };
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 429)
        return { unavailable: error.messages[0] ?? 'Switch JavaScript on, or try again later.' };
      // The page must still be shown (it carries the reporter's answers); pressing the button will
      // fetch a ticket then, or say the service is away.
      if (error instanceof ApiUnavailable) return { unavailable: NO_TICKET_NOW };
      throw error;
    }
  }

  /**
   * The proof to send with this request: the widget's solution if there is one, else the page's wait
   * ticket once it is ready, else a new ticket after waiting for it. Throws the API's 429 problem when
   * no ticket can be had.
   */
  async proofFrom(
    slug: string,
    purpose: HumanCheckPurpose,
    body: Readonly<Record<string, unknown>>,
  ): Promise<HumanProof> {
    const altcha = field(body, 'altcha');
    if (altcha) return { altcha };
    const waitTicket = field(body, 'waitTicket');
    const issuedAt = Number(field(body, 'waitIssuedAt'));
    const waitSeconds = Number(field(body, 'waitSeconds'));
    if (waitTicket && Number.isFinite(issuedAt) && Number.isFinite(waitSeconds)) {
      await this.waitUntil(issuedAt + waitSeconds * 1000);
      return { waitTicket };
    }
    return this.freshTicket(slug, purpose);
  }

  /** A new ticket, waited for: used when the page's ticket is missing, expired or was too early. */
  async freshTicket(slug: string, purpose: HumanCheckPurpose): Promise<HumanProof> {
    const { waitTicket, waitSeconds } = await this.api.waitTicket(slug, purpose);
    await this.waitUntil(Date.now() + waitSeconds * 1000);
    return { waitTicket };
  }

  /**
   * Runs `send` with a proof. If the API turns the proof down (a widget solution that expired while
   * the page was open, a ticket that was early, expired or already used by a double press), it runs
   * once more with a fresh ticket, waited for: the reporter waits 15 seconds instead of losing the
   * files they chose or being asked to try again.
   */
  async withProof<T>(
    slug: string,
    purpose: HumanCheckPurpose,
    body: Readonly<Record<string, unknown>>,
    send: (proof: HumanProof) => Promise<T>,
  ): Promise<T> {
    const proof = await this.proofFrom(slug, purpose, body);
    try {
      return await send(proof);
    } catch (error) {
      if (isProofProblem(error)) return send(await this.freshTicket(slug, purpose));
      throw error;
    }
  }

  private async waitUntil(readyAt: number): Promise<void> {
    const ms = Math.min(MAX_WAIT_MS, readyAt + SLACK_MS - Date.now());
    if (ms > 0) await sleep(ms);
  }
}

function field(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The API's refusals of a proof of work (expired, early, used, wrong), which a fresh one cures. */
export function isProofProblem(error: unknown): boolean {
  return (
    error instanceof ApiProblem &&
    error.status === 400 &&
    error.messages.some((m) => /^(altcha|waitTicket)\b/.test(m))
  );
}
