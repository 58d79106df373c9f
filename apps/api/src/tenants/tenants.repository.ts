import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppError } from '../errors/app-error';
import { TenantEntity } from './tenant.entity';

/** Tenants are looked up by slug before any tenant is set, so this table has no row-level policy. */
@Injectable()
export class TenantsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findBySlug(slug: string): Promise<TenantEntity | null> {
    if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) return Promise.resolve(null);
    return this.dataSource.getRepository(TenantEntity).findOne({ where: { slug } });
  }

  /** The council a public URL names; 404 for any other slug (reporter and sign-in routes). */
  async requireBySlug(slug: string): Promise<TenantEntity> {
    const tenant = await this.findBySlug(slug);
    if (!tenant) throw new AppError('NOT_FOUND', 'There is no council at this address.');
    return tenant;
  }

  findById(id: string): Promise<TenantEntity | null> {
    return this.dataSource.getRepository(TenantEntity).findOne({ where: { id } });
  }
}
