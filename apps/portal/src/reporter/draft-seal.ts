/**
 * A draft's handle (see draft-store.ts): its store id and key, sealed (AES-GCM under
 * PORTAL_SESSION_SECRET, see Sealer) with the council it belongs to, into the one opaque string that
 * the journey's addresses and forms carry. A handle says which council it is for, so it can never be
 * used on another council's pages, and it expires with the draft.
 *
 * What the store keeps for a handle, in its 'record' slot, moves one way only:
 * draft (the answers) → sent (the receipt, until the reporter has written it down) → done (a
 * tombstone: "sent", nothing else).
 */
import type { Sealer } from '../common/sealed';
import { type DraftKey, newDraftKey } from './draft-store';
import type { Draft, FieldError } from './journey';

/** Long enough for someone to write a report over an evening without the page going stale. */
export const DRAFT_TTL_SECONDS = 24 * 3600;
/** The receipt page may stay open a while, but not for days. */
export const RECEIPT_TTL_SECONDS = 2 * 3600;

interface SealedHandle {
  readonly kind: 'draft-handle';
  readonly slug: string;
  readonly id: string;
  readonly key: string;
}

export interface DraftHandle extends DraftKey {
  readonly slug: string;
  /** The sealed form, as it appears in addresses and forms. */
  readonly token: string;
}

export function newHandle(sealer: Sealer, slug: string): DraftHandle {
  const { id, key } = newDraftKey();
  const token = sealer.seal(
    'reporter-draft',
    { kind: 'draft-handle', slug, id, key: key.toString('base64url') } satisfies SealedHandle,
    DRAFT_TTL_SECONDS,
  );
  return { slug, id, key, token };
}

/** The handle, or undefined if it is not ours, was altered, has expired or belongs to another council. */
export function openHandle(sealer: Sealer, token: unknown, slug: string): DraftHandle | undefined {
  if (typeof token !== 'string' || token.length > 1000) return undefined;
  const sealed = sealer.open<SealedHandle>('reporter-draft', token);
  if (sealed?.kind !== 'draft-handle' || sealed.slug !== slug) return undefined;
  const key = Buffer.from(sealed.key, 'base64url');
  return key.length === 32 ? { slug, id: sealed.id, key, token } : undefined;
}

/** Errors to show on a page when it is loaded next (the page that refused the answers). */
export interface PageProblems {
  readonly step: string;
  readonly errors: readonly FieldError[];
  /** The status the page is shown with: 400 unless the problem was ours (503) or a limit (429). */
  readonly status?: number;
  /** What was ticked on the involves page, when it is shown again with an error. */
  readonly involvesTicked?: readonly string[];
}

export interface SentReport {
  readonly reference: string;
  readonly receipt: string;
}

export type DraftRecord =
  | { readonly state: 'draft'; readonly draft: Draft; readonly problems?: PageProblems }
  | {
      readonly state: 'sent';
      readonly sent: SentReport;
      /** "Send report" was pressed again while the first press was being sent. */
      readonly pressedAgain?: boolean;
      readonly problems?: PageProblems;
    }
  | { readonly state: 'done' };
