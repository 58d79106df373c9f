/**
 * Sending a report, and the proof that a person is sending it (docs/abuse-resistance.md): an ALTCHA proof
 * of work with JavaScript, a wait ticket without.
 */

export type HumanCheckPurpose = 'submission' | 'reporter-session';

/** GET /tenants/:slug/challenge?mode=pow: the ALTCHA challenge, passed to the widget untouched. */
export type AltchaChallenge = Readonly<Record<string, unknown>>;

/** GET /tenants/:slug/challenge?mode=wait */
export interface WaitTicket {
  readonly waitTicket: string;
  /** Send the ticket no sooner than this. */
  readonly waitSeconds: number;
}

/** Exactly one of the two: a solved proof of work or a wait ticket. */
export type HumanProof = { readonly altcha: string } | { readonly waitTicket: string };

/** The report itself, POST /tenants/:slug/reports (with a HumanProof beside it). */
export interface Submission {
  readonly category: string;
  /** Answers by question id. */
  readonly answers: Readonly<Record<string, string>>;
  /** Roles the concern involves, from the form's list: they will not see it. */
  readonly involves: readonly string[];
  /** The reporter's identity, or null to stay anonymous. */
  readonly identity: Readonly<Record<string, string>> | null;
}

/** 201 from POST /tenants/:slug/reports (and from a handler recording a report, POST /cases). */
export interface SubmittedReport {
  readonly reference: string;
  /** Shown once, never stored: the reporter's only way back to the case. */
  readonly receipt: string;
}
