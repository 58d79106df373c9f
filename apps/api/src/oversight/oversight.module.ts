import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { OversightController } from './oversight.controller';
import { OversightService } from './oversight.service';

/** What administrators changed, shown to those who oversee cases. */
@Module({
  imports: [AuthModule, AuditModule],
  controllers: [OversightController],
  providers: [OversightService],
})
export class OversightModule {}
