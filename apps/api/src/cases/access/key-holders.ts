/**
 * Where the scope keys for new grants come from (docs/architecture.md "Case scope keys and grants"): grants
 * only ever come from a key someone holds. A KeyHolder opens a case's scope keys from one holder — a
 * staff user's own grants, the council's escrow key, or keys already open such as the report-scope key
 * a reporter's receipt opened. The workers hold none, so they never grant.
 */
import { openGrantAsKey, type Scope, type UnlockedKey } from '@nolan/crypto';
import type { EntityManager } from 'typeorm';
import { CaseGrantEntity } from '../store/case.entity';

/** Opens a case's scope keys for granting them onward. Returns null for a scope it cannot open. */
export interface KeyHolder {
  /** How the audit trail says the grants were made: 'staff_grant', 'escrow', 'reporter'. */
  readonly via: string;
  openScope(m: EntityManager, caseId: string, scope: Scope): Promise<UnlockedKey | null>;
}

/** A staff user's own grants, opened with their unlocked private key (from their session). */
export function staffKeyHolder(userId: string, key: UnlockedKey): KeyHolder {
  return {
    via: 'staff_grant',
    async openScope(m, caseId, scope) {
      const grant = await m
        .getRepository(CaseGrantEntity)
        .findOne({ where: { caseId, scope, granteeKind: 'staff', granteeId: userId } });
      return grant ? openGrantAsKey(new Uint8Array(grant.encryptedScopeKey), key) : null;
    },
  };
}

/** The tenant escrow key, unlocked with the recovery passphrase (the escrow is a grantee of every scope). */
export function escrowKeyHolder(escrowKey: UnlockedKey): KeyHolder {
  return {
    via: 'escrow',
    async openScope(m, caseId, scope) {
      const grant = await m
        .getRepository(CaseGrantEntity)
        .findOne({ where: { caseId, scope, granteeKind: 'escrow' } });
      return grant ? openGrantAsKey(new Uint8Array(grant.encryptedScopeKey), escrowKey) : null;
    },
  };
}

/** Scope keys already open, e.g. the report-scope key a reporter's receipt opened. */
export function openKeysHolder(via: string, keys: Partial<Record<Scope, UnlockedKey>>): KeyHolder {
  return { via, openScope: async (_m, _caseId, scope) => keys[scope] ?? null };
}
