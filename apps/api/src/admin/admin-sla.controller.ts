import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import type { StaffSession } from '../auth/session-store';
import { CurrentSession, StaffAuthGuard } from '../auth/staff-auth.guard';
import { AdminSlaService } from './admin-sla.service';
import { AdministratorGuard } from './administrator.guard';

export class PutSlaPolicyDto {
  @ApiProperty({
    description:
      'Any of acknowledgementDays, acknowledgementUnit (calendar | working), acknowledgementReminderDaysBefore, ' +
      'feedbackMonths, feedbackReminderDaysBefore, safeguardingReferralWorkingDays, extraClosureDays; the rest ' +
      'keep their defaults. At most 7 calendar or 5 working days to acknowledge and 3 months to feedback. {} ' +
      'restores the default.',
    type: 'object',
    additionalProperties: true,
    example: { acknowledgementDays: 5, acknowledgementUnit: 'working' },
  })
  @IsObject({ message: 'policy must be an object of SLA settings.' })
  policy!: Record<string, unknown>;
}

/** The council's own SLA policy, for administrators. Thin. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'The caller is not an administrator' })
@UseGuards(StaffAuthGuard, AdministratorGuard)
@Controller('admin/sla-policy')
export class AdminSlaController {
  constructor(private readonly sla: AdminSlaService) {}

  @Get()
  @ApiOperation({ summary: 'The council’s SLA policy: its own, or the default' })
  get(@CurrentSession() session: StaffSession) {
    return this.sla.get(session);
  }

  @Put()
  @ApiOperation({ summary: 'Set a stricter SLA policy for the council (audited); {} restores the default' })
  @ApiBadRequestResponse({
    description: 'A setting is not valid or looser than the statutory clocks; each is named',
  })
  put(@CurrentSession() session: StaffSession, @Body() body: PutSlaPolicyDto) {
    return this.sla.put(session, body.policy);
  }
}
