/**
 * Who the case's overseer may assign a case to (issue #19): the same rule the assignment itself
 * applies (CaseAccessService.whyNotHandler: an active handler whom libs/domain `ruledOut` does not
 * exclude; docs/case-core.md "Exclusion rules"), so the list never offers someone the assignment would
 * refuse. Each comes with their open-case workload, counted from metadata only.
 */
import { Injectable } from '@nestjs/common';
import type { AssigneeOption, AssigneeOptions } from '@nolan/contract';
import { HANDLER_ROLES, ruledOut, type StaffRole } from '@nolan/domain';
import type { EntityManager } from 'typeorm';
import type { AuthenticatedStaff } from '../../auth/staff-auth.guard';
import { AppError } from '../../errors/app-error';
import { StaffUsersRepository } from '../../staff/staff-users.repository';
import { CaseDoor } from '../access/case-door';
import { CaseAccessService } from '../access/case-access.service';
import { CaseEntity } from '../store/case.entity';

export const OVERSEER_ONLY_LIST =
  'Only the case’s overseer (the monitoring officer, or whoever a conflict route put in their place) can see who it may be assigned to.';

@Injectable()
export class AssigneesService {
  constructor(
    private readonly door: CaseDoor,
    private readonly access: CaseAccessService,
    private readonly users: StaffUsersRepository,
  ) {}

  async list(staff: AuthenticatedStaff, reference: string): Promise<AssigneeOptions> {
    return this.door.open(staff, reference, { reads: true }, async ({ m, found, actor, keys }) => {
      if (!(await this.access.isOverseer(m, found.id, actor, keys)))
        throw new AppError('FORBIDDEN', OVERSEER_ONLY_LIST);
      const input = await this.access.routingInput(m, found.id, keys);
      if (!input) throw new AppError('FORBIDDEN', OVERSEER_ONLY_LIST);
      const eligible = (await this.users.roleHolders(m)).filter((u) => {
        const roles = u.roles as StaffRole[];
        return (
          u.active &&
          !roles.includes('administrator') &&
          roles.some((r) => HANDLER_ROLES.includes(r)) &&
          !ruledOut(input, u.userId, roles)
        );
      });
      const workload = await openCaseCounts(
        m,
        eligible.map((u) => u.userId),
      );
      const items: AssigneeOption[] = eligible
        .map((u) => ({
          userId: u.userId,
          name: u.displayName,
          roles: [...u.roles],
          openCases: workload.get(u.userId) ?? 0,
          current: u.userId === found.assigneeId,
        }))
        .sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.userId.localeCompare(b.userId));
      return { reference: found.reference, items };
    });
  }
}

/** Open cases assigned to each of `userIds` (in the caller's tenant: row-level security applies). */
async function openCaseCounts(m: EntityManager, userIds: readonly string[]): Promise<Map<string, number>> {
  if (!userIds.length) return new Map();
  const rows: { assignee_id: string; open: string }[] = await m
    .getRepository(CaseEntity)
    .createQueryBuilder('c')
    .select('c.assignee_id', 'assignee_id')
    .addSelect('COUNT(*)', 'open')
    .where('c.assignee_id IN (:...userIds)', { userIds })
    .andWhere(`c.status <> 'closed'`)
    .andWhere('c.destroyed_on IS NULL')
    .groupBy('c.assignee_id')
    .getRawMany();
  return new Map(rows.map((r) => [r.assignee_id, Number(r.open)]));
}
