// A report's mode (anonymous, confidential, open) as a keyed tag, so that the dashboard can count reports
// by mode while a copy of the database cannot tell them apart (docs/dashboard.md "Reports by mode",
// docs/threat-model.md "A report's mode is a keyed tag").
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The modes a report can be made in (libs/domain REPORT_MODES mirrors them). */
export const MODE_TAG_MODES = ['anonymous', 'confidential', 'open'] as const;
export type TaggedMode = (typeof MODE_TAG_MODES)[number];

/** HKDF info: the mode-tag key is its own key, never the receipt lookups' (the pepper's other use). */
const MODE_TAG_INFO = 'nolan/case-mode-tag/v1';
const MIN_PEPPER_BYTES = 16;
export const MODE_TAG_BYTES = 32;

/** K_mode = HKDF-SHA256(pepper, info "nolan/case-mode-tag/v1"), 32 bytes. */
export function modeTagKey(pepper: Uint8Array | string): Uint8Array {
  const secret = typeof pepper === 'string' ? Buffer.from(pepper, 'utf8') : pepper;
  if (!(secret instanceof Uint8Array) || secret.length < MIN_PEPPER_BYTES)
    throw new TypeError(`The receipt pepper must be at least ${MIN_PEPPER_BYTES} bytes.`);
  return new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), MODE_TAG_INFO, MODE_TAG_BYTES));
}

/**
 * HMAC-SHA256(K_mode, tenant id || 0 || case id || 0 || mode): 32 bytes whatever the mode, bound to its
 * council and case so that a tag copied to another case says nothing.
 */
export function modeTag(key: Uint8Array, tenantId: string, caseId: string, mode: TaggedMode): Buffer {
  if (!MODE_TAG_MODES.includes(mode)) throw new TypeError(`Unknown mode ${String(mode)}.`);
  return createHmac('sha256', key).update(`${tenantId}\u0000${caseId}\u0000${mode}`, 'utf8').digest();
}

/** The mode a tag stands for (one HMAC per candidate), or null for no tag or one that matches none. */
export function modeOfTag(
  key: Uint8Array,
  tenantId: string,
  caseId: string,
  tag: Uint8Array | null,
): TaggedMode | null {
  if (!tag || tag.length !== MODE_TAG_BYTES) return null;
  for (const mode of MODE_TAG_MODES)
    if (timingSafeEqual(modeTag(key, tenantId, caseId, mode), tag)) return mode;
  return null;
}
