/**
 * What the per-case actions answer, other than the case view and the timeline: identity requests and
 * decisions, links between cases, and the small acknowledgements of a recorded step.
 */

/** One request to see the reporter's identity, GET /cases/:reference/identity-requests. */
export interface IdentityRequestView {
  readonly id: string;
  readonly requesterId: string;
  readonly status: 'pending' | 'approved' | 'refused';
  readonly requestedOn: string;
  readonly decidedBy: string | null;
  readonly decidedOn: string | null;
  /** Why it was asked for, for anyone holding the case's internal scope; null otherwise. */
  readonly reason: string | null;
  readonly decisionReason: string | null;
}

/** 201 from filing or deciding an identity request. */
export interface IdentityRequestState {
  readonly id: string;
  readonly status: string;
}

/** GET /cases/:reference/identity, for someone granted the identity scope. */
export interface RevealedIdentity {
  readonly anonymous: boolean;
  readonly identity: Readonly<Record<string, string>> | null;
}

/** A link to a related case the caller also holds (a link to any other case is never shown). */
export interface CaseLinkView {
  readonly id: string;
  readonly kind: string;
  readonly reference: string;
  readonly note: string | null;
  readonly linkedOn: string;
}

/** GET /cases/:reference/links */
export interface CaseLinks {
  readonly items: readonly CaseLinkView[];
}

/** POST /cases/:reference/links */
export interface NewCaseLink {
  readonly reference: string;
  readonly kind: string;
  readonly note: string;
}

/** 201 from POST /cases/:reference/recusal */
export interface Recused {
  readonly recused: boolean;
}
