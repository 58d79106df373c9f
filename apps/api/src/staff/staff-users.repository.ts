import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { StaffUserEntity } from './staff-user.entity';

/** Staff user queries. Every method runs in the caller's tenant transaction (row-level security). */
@Injectable()
export class StaffUsersRepository {
  /**
   * An active account by address: sign-in's lookup, so a deactivated account answers exactly as an
   * unknown address does (no hint that it exists).
   */
  findByEmail(manager: EntityManager, email: string): Promise<StaffUserEntity | null> {
    return manager.getRepository(StaffUserEntity).findOne({ where: { email, deactivatedAt: IsNull() } });
  }

  findById(manager: EntityManager, id: string): Promise<StaffUserEntity | null> {
    return manager.getRepository(StaffUserEntity).findOne({ where: { id } });
  }

  /** A page of the tenant's staff for the administrators, by name; optionally one role, active or not. */
  async list(
    manager: EntityManager,
    filter: { role?: string; active?: boolean; limit: number; offset: number },
  ): Promise<{ items: StaffUserEntity[]; total: number }> {
    const query = manager.getRepository(StaffUserEntity).createQueryBuilder('u');
    // The administrators' view: the roles they asked for, whether in force or awaiting confirmation.
    if (filter.role !== undefined)
      query.andWhere('(:role = ANY(u.roles) OR :role = ANY(u.pending_roles))', { role: filter.role });
    if (filter.active === true) query.andWhere('u.deactivated_at IS NULL');
    if (filter.active === false) query.andWhere('u.deactivated_at IS NOT NULL');
    const [items, total] = await query
      .orderBy('u.displayName')
      .addOrderBy('u.email')
      .skip(filter.offset)
      .take(filter.limit)
      .getManyAndCount();
    return { items, total };
  }

  /** Active administrators other than `exceptUserId`: the council must always keep one. */
  countOtherActiveAdministrators(manager: EntityManager, exceptUserId: string): Promise<number> {
    return manager
      .getRepository(StaffUserEntity)
      .createQueryBuilder('u')
      .where(`'administrator' = ANY(u.roles)`)
      .andWhere('u.deactivated_at IS NULL')
      .andWhere('u.id <> :id', { id: exceptUserId })
      .getCount();
  }

  async update(manager: EntityManager, id: string, changes: Partial<StaffUserEntity>): Promise<void> {
    await manager.getRepository(StaffUserEntity).update({ id }, changes);
  }

  /**
   * The tenant's staff as routing sees them: id, roles and public key (administrators included; routing
   * drops them). Deactivated accounts are included with `active: false`: their roles still decide who a
   * concern naming them is about and who must lose access, but routing never sends them a case
   * (tenantRoutingInput passes them as unavailable).
   */
  async roleHolders(manager: EntityManager): Promise<
    {
      userId: string;
      roles: StaffUserEntity['roles'];
      publicKey: string;
      displayName: string;
      active: boolean;
      leadRoles: StaffUserEntity['leadRoles'];
      rolesConfirmedAt: Date | null;
    }[]
  > {
    // `roles` only: roles awaiting confirmation (pending_roles) give nothing, so routing never sees them.
    const users = await manager.getRepository(StaffUserEntity).find({
      select: {
        id: true,
        roles: true,
        publicKey: true,
        displayName: true,
        deactivatedAt: true,
        leadRoles: true,
        rolesConfirmedAt: true,
      },
    });
    return users.map((u) => ({
      userId: u.id,
      roles: u.roles,
      publicKey: u.publicKey,
      displayName: u.displayName,
      active: u.deactivatedAt === null,
      leadRoles: u.leadRoles.filter((r) => u.roles.includes(r)),
      rolesConfirmedAt: u.rolesConfirmedAt,
    }));
  }
}
