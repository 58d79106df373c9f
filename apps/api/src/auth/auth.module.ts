import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { StaffUsersRepository } from '../staff/staff-users.repository';
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
    SessionStore,
    SignInThrottle,
    StaffAuthGuard,
    StaffUsersRepository,
    TenantsRepository,
  ],
  exports: [SessionStore, StaffAuthGuard, StaffUsersRepository, TenantsRepository],
})
export class AuthModule {}
