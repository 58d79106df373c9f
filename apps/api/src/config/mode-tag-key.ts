/**
 * K_mode, the key of every case's mode tag, in one place: the case store writes tags with it and the
 * dashboard recovers modes with it (docs/dashboard.md "Reports by mode"). It is derived from
 * MODE_TAG_SECRET, which only the API holds, never from the receipt pepper, which other processes hold
 * too (docs/threat-model.md "A report's mode is a keyed tag").
 */
import { modeTagKey } from '@nolan/crypto';
import { type AppConfig, ConfigError } from './config';

const derived = new WeakMap<AppConfig, Uint8Array>();

/** K_mode = HKDF-SHA256(MODE_TAG_SECRET, "nolan/case-mode-tag/v1"); a ConfigError when the secret is absent. */
export function modeTagKeyOf(config: AppConfig): Uint8Array {
  let key = derived.get(config);
  if (!key) {
    if (!config.modeTagSecret) throw new ConfigError({ MODE_TAG_SECRET: 'missing' });
    key = modeTagKey(config.modeTagSecret);
    derived.set(config, key);
  }
  return key;
}
