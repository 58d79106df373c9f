/**
 * What the per-case actions answer, other than the case view and the timeline: identity requests and
 * decisions, links between cases, and the small acknowledgements of a recorded step.
 */

/** One request to see the reporter's identity, GET /cases/:reference/identity-requests. */
export interface IdentityRequestView {
  id: string;
  requesterId: string;
  status: 'pending' | 'approved' | 'refused';
  requestedOn: string;
  decidedBy: string | null;
  decidedOn: string | null;
  /** Why it was asked for, for anyone holding the case's internal scope; null otherwise. */
  reason: string | null;
  decisionReason: string | null;
}

/** 201 from filing or deciding an identity request. */
export interface IdentityRequestState {
  id: string;
  status: string;
}

/** GET /cases/:reference/identity, for someone granted the identity scope. */
export interface RevealedIdentity {
  anonymous: boolean;
  identity: Record<string, string> | null;
}

/** A link to a related case the caller also holds (a link to any other case is never shown). */
export interface CaseLinkView {
  id: string;
  kind: string;
  reference: string;
  note: string | null;
  linkedOn: string;
}

/** GET /cases/:reference/links */
export interface CaseLinks {
  items: CaseLinkView[];
}

/** POST /cases/:reference/links */
export interface NewCaseLink {
  reference: string;
  kind: string;
  note: string;
}

/** 201 from POST /cases/:reference/recusal */
export interface Recused {
  recused: boolean;
}

/**
 * A request to name people as involved after intake (GET /cases/:reference/involved/requests; issue #15),
 * as its requester and its confirmer see it. Until confirmed it has no effect.
 */
export interface NamingRequestView {
  id: string;
  status: 'pending' | 'confirmed' | 'rejected';
  requestedOn: string;
  requestedBy: { id: string; name: string };
  /** The people it names, frozen when it was made (a role's holders then). */
  people: { id: string; name: string }[];
  role: string | null;
  reason: string | null;
  /** Whether the caller is the one who may confirm or reject it now. */
  canDecide: boolean;
  decidedOn: string | null;
}

/** A request to the overseer to agree to closing a case (GET /cases/:reference/closure-requests; issue #15). */
export interface ClosureRequestView {
  id: string;
  outcome: string;
  /** 'used' once the closing it agreed to was made. */
  status: 'pending' | 'agreed' | 'refused' | 'used';
  requestedBy: string;
  requestedOn: string;
  reason: string | null;
  decidedBy: string | null;
  decidedOn: string | null;
}
