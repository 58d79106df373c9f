import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StaffUserEntity } from './staff-user.entity';

/** Staff user queries. Every method runs in the caller's tenant transaction (row-level security). */
@Injectable()
export class StaffUsersRepository {
  findByEmail(manager: EntityManager, email: string): Promise<StaffUserEntity | null> {
    return manager.getRepository(StaffUserEntity).findOne({ where: { email } });
  }

  findById(manager: EntityManager, id: string): Promise<StaffUserEntity | null> {
    return manager.getRepository(StaffUserEntity).findOne({ where: { id } });
  }

  async update(manager: EntityManager, id: string, changes: Partial<StaffUserEntity>): Promise<void> {
    await manager.getRepository(StaffUserEntity).update({ id }, changes);
  }

  /** The tenant's staff as routing sees them: id, roles and public key (administrators included; routing drops them). */
  async roleHolders(
    manager: EntityManager,
  ): Promise<{ userId: string; roles: StaffUserEntity['roles']; publicKey: string; displayName: string }[]> {
    const users = await manager
      .getRepository(StaffUserEntity)
      .find({ select: { id: true, roles: true, publicKey: true, displayName: true } });
    return users.map((u) => ({
      userId: u.id,
      roles: u.roles,
      publicKey: u.publicKey,
      displayName: u.displayName,
    }));
  }
}
