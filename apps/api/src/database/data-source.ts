import { DataSource } from 'typeorm';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { TenantEntity } from '../tenants/tenant.entity';
import { Foundation1763900000000 } from './migrations/1763900000000-foundation';

/** Every entity, listed so the webpack bundle carries them (no globs at run time). */
export const ENTITIES = [TenantEntity, StaffUserEntity];
/** Every migration in order. One migration per change; never edit a merged one. */
export const MIGRATIONS = [Foundation1763900000000];

export function dataSourceOptions(url: string) {
  return {
    type: 'postgres' as const,
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: 10, connectionTimeoutMillis: 5000, application_name: 'nolan' },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
