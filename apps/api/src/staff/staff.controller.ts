import { Body, Controller, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffSession } from '../auth/session-store';
import { CurrentSession, StaffAuthGuard } from '../auth/staff-auth.guard';
import { RecoverAccountDto } from './dto/recovery.dto';
import { StaffRecoveryService } from './staff-recovery.service';

@ApiTags('staff')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('staff')
export class StaffController {
  constructor(private readonly recovery: StaffRecoveryService) {}

  @Post(':userId/recovery')
  @ApiOperation({
    summary: 'Recover a user who forgot their password (monitoring officer, with the recovery passphrase)',
    description:
      'Re-grants every case scope the user held to a new key under a temporary password, returned once.',
  })
  recover(
    @CurrentSession() session: StaffSession,
    @Param('userId', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) userId: string,
    @Body() body: RecoverAccountDto,
  ) {
    return this.recovery.recover(session, userId, body.recoveryPassphrase);
  }
}
