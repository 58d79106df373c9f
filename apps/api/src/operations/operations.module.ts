import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { QueuesModule } from '../queues/queues.module';
import { OperationsController } from './operations.controller';
import { OperationsService } from './operations.service';

@Module({
  imports: [AuthModule, QueuesModule],
  controllers: [OperationsController],
  providers: [OperationsService],
})
export class OperationsModule {}
