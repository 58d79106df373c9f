/**
 * Reports by mode (docs/dashboard.md "Reports by mode"): the mode of each of the period's received
 * cases, recovered from its keyed tag with K_mode (derived from MODE_TAG_SECRET, a secret only the API
 * holds, outside the database: apps/api/src/config/mode-tag-key.ts) — one HMAC per candidate mode, so an in-process cache by case id, bounded,
 * keeps a dashboard that is viewed again cheap. Nothing is cached outside the process.
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import { modeOfTag } from '@nolan/crypto';
import { APP_CONFIG, type AppConfig, loadConfig } from '../config/config';
import { modeTagKeyOf } from '../config/mode-tag-key';
import type { CaseFacts } from './figures';

/** How many cases' modes the cache holds: a few large councils' years (about 100 bytes each). */
export const MODE_CACHE_LIMIT = 50_000;

@Injectable()
export class ReportModes {
  /** K_mode, derived once, when first needed (as CaseStoreService derives it to write the tags). */
  private key?: Uint8Array;
  /** Case id → its tag and mode, least recently used first (a Map keeps insertion order). */
  private readonly cache = new Map<string, { tag: Buffer; mode: CaseFacts['mode'] }>();

  constructor(@Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig) {}

  /** Sets `mode` on every case that has a tag (null for a tag that matches no mode: not recorded). */
  resolve(tenantId: string, cases: CaseFacts[]): void {
    for (const c of cases) {
      const tag = c.modeTag;
      if (!tag) continue;
      c.mode = this.modeOf(tenantId, c.id, tag);
    }
  }

  private modeOf(tenantId: string, caseId: string, tag: Buffer): CaseFacts['mode'] {
    const hit = this.cache.get(caseId);
    if (hit && hit.tag.equals(tag)) {
      this.cache.delete(caseId);
      this.cache.set(caseId, hit);
      return hit.mode;
    }
    this.key ??= modeTagKeyOf(this.config ?? loadConfig());
    const mode = modeOfTag(this.key, tenantId, caseId, tag);
    this.cache.delete(caseId);
    this.cache.set(caseId, { tag: Buffer.from(tag), mode });
    if (this.cache.size > MODE_CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return mode;
  }

  /** For tests: how many modes the cache holds. */
  get cached(): number {
    return this.cache.size;
  }
}
