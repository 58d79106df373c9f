// A report's mode (anonymous, confidential, open) as a keyed tag, so that the dashboard can count reports
// by mode while a copy of the database cannot tell them apart (docs/dashboard.md "Reports by mode",
// docs/threat-model.md "A report's mode is a keyed tag").
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The modes a report can be made in (libs/domain REPORT_MODES mirrors them). */
export const MODE_TAG_MODES = ['anonymous', 'confidential', 'open'] as const;
export type TaggedMode = (typeof MODE_TAG_MODES)[number];

/** HKDF info: the mode-tag key is its own key, derived from a secret of its own (MODE_TAG_SECRET). */
const MODE_TAG_INFO = 'nolan/case-mode-tag/v1';
const MIN_SECRET_BYTES = 16;
export const MODE_TAG_BYTES = 32;

/**
 * K_mode = HKDF-SHA256(secret, info "nolan/case-mode-tag/v1"), 32 bytes. The secret is MODE_TAG_SECRET,
 * held by the API alone (apps/api/src/config/mode-tag-key.ts).
 */
export function modeTagKey(modeTagSecret: Uint8Array | string): Uint8Array {
  const secret = typeof modeTagSecret === 'string' ? Buffer.from(modeTagSecret, 'utf8') : modeTagSecret;
  if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES)
    throw new TypeError(`The mode tag secret must be at least ${MIN_SECRET_BYTES} bytes.`);
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
