/**
 * The reporter's unsent answers and, after sending, the receipt for the "I have written it down"
 * step, sealed (AES-GCM under PORTAL_SESSION_SECRET, see Sealer) into a hidden form field. Nothing
 * about a report is kept by the portal, set in a cookie or put in a URL before the reporter signs in
 * with their receipt; the page itself carries it. Each sealed value says what it is and which council
 * it belongs to, so one can never be replayed as the other or on another council's pages.
 */
import type { Sealer } from '../common/sealed';
import type { Draft } from './journey';

/** Long enough for someone to write a report over an evening without the page going stale. */
export const DRAFT_TTL_SECONDS = 24 * 3600;
/** The receipt page may stay open a while, but not for days. */
export const RECEIPT_TTL_SECONDS = 2 * 3600;

type Sealed =
  | { readonly kind: 'draft'; readonly draft: Draft }
  | { readonly kind: 'receipt'; readonly slug: string; readonly reference: string; readonly receipt: string };

export function sealDraft(sealer: Sealer, draft: Draft): string {
  return sealer.seal('reporter-draft', { kind: 'draft', draft } satisfies Sealed, DRAFT_TTL_SECONDS);
}

/** The draft, or undefined if it is not ours, was altered, has expired or belongs to another council. */
export function openDraft(sealer: Sealer, token: unknown, slug: string): Draft | undefined {
  const sealed = sealer.open<Sealed>('reporter-draft', typeof token === 'string' ? token : undefined);
  return sealed?.kind === 'draft' && sealed.draft.slug === slug ? sealed.draft : undefined;
}

export interface SentReport {
  readonly reference: string;
  readonly receipt: string;
}

export function sealReceipt(sealer: Sealer, slug: string, sent: SentReport): string {
  return sealer.seal(
    'reporter-draft',
    { kind: 'receipt', slug, reference: sent.reference, receipt: sent.receipt } satisfies Sealed,
    RECEIPT_TTL_SECONDS,
  );
}

export function openReceipt(sealer: Sealer, token: unknown, slug: string): SentReport | undefined {
  const sealed = sealer.open<Sealed>('reporter-draft', typeof token === 'string' ? token : undefined);
  return sealed?.kind === 'receipt' && sealed.slug === slug
    ? { reference: sealed.reference, receipt: sealed.receipt }
    : undefined;
}
