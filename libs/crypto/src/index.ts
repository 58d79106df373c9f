// The public surface of libs/crypto, the only code in Nolan that touches openpgp. Keys cross this boundary
// as opaque handles or OpenPGP bytes, errors as CryptoError codes; nothing of openpgp itself is exported.
// Implements docs/architecture.md "Encryption model".
export { CRYPTO_ERROR_CODES, CryptoError, isCryptoError } from './lib/crypto-error';
export type { CryptoErrorCode } from './lib/crypto-error';
export { PublicKeyHandle, UnlockedKey } from './lib/key-handles';
export {
  changePassphrase,
  generateStaffKeyPair,
  isLockedPrivateKey,
  unlockPrivateKey,
} from './lib/staff-keys';
export type { StaffKeyMaterial } from './lib/staff-keys';
export { SCOPES, decryptWithScope, encryptToScope, generateScopeKeyPair, isScope } from './lib/scope-keys';
export type { Scope, ScopeKeyPair } from './lib/scope-keys';
export { takeScopeKeyPair } from './lib/scope-key-pool';
export { createGrant, createGrants, openGrant, openGrantAsKey, regrant } from './lib/grants';
export {
  createReporterKey,
  receiptLookupKey,
  relockReporterKey,
  unlockReporterKey,
} from './lib/reporter-keys';
export type { ReporterKeyMaterial } from './lib/reporter-keys';
export { MODE_TAG_BYTES, MODE_TAG_MODES, modeOfTag, modeTag, modeTagKey } from './lib/mode-tags';
export type { TaggedMode } from './lib/mode-tags';
export {
  exportForRecipient,
  exportForRecipientBinary,
  verifyAndDecryptBinaryExport,
  verifyAndDecryptExport,
} from './lib/case-export';
export type { ExportInput, VerifiedExport } from './lib/case-export';
export { generateSigningKeyPair } from './lib/signing-keys';
export { signDetached, verifyDetached } from './lib/item-signatures';
export { packetDate, useCheapKeyProtectionInTests } from './lib/openpgp-settings';
export type { SigningKeyMaterial } from './lib/signing-keys';
