import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { OversightController } from './oversight.controller';
import { OversightService } from './oversight.service';
import { RoleConfirmationService } from './role-confirmation.service';

/** What administrators changed, and the roles awaiting confirmation, for those who oversee cases. */
@Module({
  imports: [AuthModule, AuditModule],
  controllers: [OversightController],
  providers: [OversightService, RoleConfirmationService],
})
export class OversightModule {}
