import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffSession } from '../auth/session-store';
import { CurrentSession, StaffAuthGuard } from '../auth/staff-auth.guard';
import { AppError } from '../errors/app-error';
import { OperationsService } from './operations.service';

function requireAdministrator(session: StaffSession): void {
  if (!session.roles.includes('administrator'))
    throw new AppError('FORBIDDEN', 'Only administrators can see the queues.');
}

@ApiTags('operations')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('admin/queues')
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  @Get()
  @ApiOperation({
    summary:
      "Queue counts and the failed jobs (dead-letter list) of the caller's own council, for its administrators",
  })
  overview(@CurrentSession() session: StaffSession) {
    requireAdministrator(session);
    return this.operations.overview(session.tenantId);
  }

  @Post(':queue/jobs/:id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: "Retry a failed job of the caller's own council" })
  retry(@CurrentSession() session: StaffSession, @Param('queue') queue: string, @Param('id') id: string) {
    requireAdministrator(session);
    return this.operations.retry(session.tenantId, queue, id);
  }
}
