import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ItemSeal } from '../cases/record/item-seal';
import { StaffUsersRepository } from '../staff/staff-users.repository';
import { TenantSigningKeys } from '../tenants/tenant-signing-keys';
import { TenantsRepository } from '../tenants/tenants.repository';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SessionStore } from './session-store';
import { SignInThrottle } from './sign-in-throttle';
import { StaffAuthGuard } from './staff-auth.guard';

@Module({
  imports: [AuditModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    // A member of staff's key is pinned at their first sign-in if it was made before keys were pinned.
    ItemSeal,
    TenantSigningKeys,
    SessionStore,
    SignInThrottle,
    StaffAuthGuard,
    StaffUsersRepository,
    TenantsRepository,
  ],
  exports: [SessionStore, StaffAuthGuard, StaffUsersRepository, TenantsRepository],
})
export class AuthModule {}
