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
      'Re-grants every case scope the user held to a new key under a temporary password, e-mailed to the ' +
      'user alone (never returned): it opens only a session that chooses their own password. 503 if the ' +
      'e-mail cannot be sent, and then nothing changed.',
  })
  recover(
    @CurrentSession() session: StaffSession,
    @Param('userId', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) userId: string,
    @Body() body: RecoverAccountDto,
  ) {
    return this.recovery.recover(session, userId, body.recoveryPassphrase);
  }
}
