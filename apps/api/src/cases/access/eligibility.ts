/**
 * The eligibility re-check for a decision that gives someone access to a case, made at the moment it
 * takes effect (docs/case-core.md "Eligibility at the moment access is given"; issue #15): an identity
 * approval and custody of the identity call it; assignment uses the same rule
 * (CaseAccessService.whyNotHandler → whyIneligible).
 */
import { AppError } from '../../errors/app-error';
import type { CaseAccessService } from './case-access.service';
import type { CaseDoor, OpenCase } from './case-door';

/**
 * 409 unless `userId` may be given access to the opened case now (CaseAccessService.whyIneligible), and
 * still holds it (CaseDoor.holdsCase: a grant, and no exclusion): an identity grant to someone who lost
 * the case would give them its most sensitive part.
 */
export async function mustStillBeEligible(
  access: CaseAccessService,
  door: CaseDoor,
  opened: OpenCase,
  userId: string,
): Promise<void> {
  const { m, found } = opened;
  const input = await access.routingInput(m, found.id, opened.keys);
  if (!input) throw new AppError('CONFLICT', 'Only someone who can read the report can share the identity.');
  const refusal = await access.whyIneligible(m, input, userId, 'staff');
  const holdsCase = await door.holdsCase(m, userId, found.id);
  if (refusal || !holdsCase)
    throw new AppError(
      'CONFLICT',
      `The identity cannot be shared with the person who asked: ${
        refusal?.message ?? 'they no longer hold this case.'
      } Refuse the request instead.`,
    );
}
