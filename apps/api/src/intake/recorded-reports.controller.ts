import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SessionStore } from '../auth/session-store';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../auth/staff-auth.guard';
import { IntakeService } from './intake.service';
import { submissionSchema } from './submission-schema';

@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class RecordedReportsController {
  constructor(
    private readonly intake: IntakeService,
    private readonly sessions: SessionStore,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Record an oral, phone or written report on a reporter’s behalf',
    description:
      'Same validation, routing and encryption as the web form; 201 { reference, receipt } — give the receipt to the reporter.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['channel', 'submission'],
      properties: {
        channel: { type: 'string', enum: ['phone', 'in_person', 'post', 'email'] },
        submission: submissionSchema(),
      },
    },
  })
  record(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Body() body: { channel?: unknown; submission?: unknown },
  ) {
    return this.intake.recordForReporter(staff.session, body, () => this.sessions.unlockedKey(staff));
  }
}
