/**
 * Writing a case's exclusions by id (case_exclusions: append-only for the app role, row-level security
 * by tenant). People are excluded as people, frozen when named (issue #15; docs/architecture.md
 * "Exclusions and the conflict set"): naming a role names whoever holds it at that moment.
 */
import type { EntityManager } from 'typeorm';
import { CaseExclusionEntity } from './case.entity';
import { insertHeldRows } from '../../reporter-time/held-insert';

/** The ids of everyone holding one of `roles` now: naming a role names these people, for good. */
export function holdersOfRoles(
  holders: readonly { userId: string; roles: readonly string[] }[],
  roles: readonly string[],
): string[] {
  return holders.filter((h) => h.roles.some((r) => roles.includes(r))).map((h) => h.userId);
}

/**
 * Records the people the report named (the holders of each role ticked on the form) as excluded from the
 * case, by id (case_exclusions is append-only for the app role): intake, and a case from before issue #15
 * the first time its report is opened.
 */
export async function recordNamedInReport(
  m: EntityManager,
  tenantId: string,
  caseId: string,
  people: readonly string[],
): Promise<void> {
  for (const userId of people)
    await insertHeldRows(
      m,
      CaseExclusionEntity,
      { tenantId, caseId, userId, kind: 'named_in_report' },
      { orIgnore: true },
    );
}
