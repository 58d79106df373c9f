/**
 * The reporter's identity itself (issue #7; docs/architecture.md "Encryption model" → "Identity"): a
 * read for those holding the identity scope, trailed as a decryption; 404 for everyone else.
 */
import { Injectable } from '@nestjs/common';
import { decryptWithScope } from '@nolan/crypto';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { isGivenIdentity } from '../../reporter-time/identity-placeholder';
import { CaseDoor } from '../access/case-door';
import { CaseRecorder } from '../record/case-recorder';
import { unpackJson } from '../record/item-codec';
import { CasesRepository } from '../store/cases.repository';

@Injectable()
export class ReporterIdentityService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly recorder: CaseRecorder,
    private readonly door: CaseDoor,
  ) {}

  /** The reporter's identity, for those holding the identity scope; 404 for everyone else. */
  async reveal(staff: AuthenticatedStaff, reference: string) {
    return this.door.open(staff, reference, { reads: true }, async ({ m, found, key }) => {
      const scopeKey = await key('identity');
      if (!scopeKey)
        throw new AppError('NOT_FOUND', 'The reporter’s identity is not available to you for this case.');
      const records = [];
      for (const item of await this.cases.items(m, found.id, 'identity')) {
        records.push(
          unpackJson<Record<string, string>>(
            await decryptWithScope(new Uint8Array(item.ciphertext), scopeKey),
          ),
        );
      }
      const given = records.filter(isGivenIdentity); // docs/architecture.md "Reporter time": one is always there
      await this.recorder.trail(
        m,
        found.id,
        { origin: 'staff', staffId: staff.session.userId },
        'case.content_decrypted',
        { scope: 'identity', items: given.length },
      );
      return { anonymous: given.length === 0, identity: given.length ? Object.assign({}, ...given) : null };
    });
  }
}
