import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffSession } from '../auth/session-store';
import { CurrentSession, StaffAuthGuard } from '../auth/staff-auth.guard';
import { PageQuery } from '../common/page-query';
import { OversightService } from './oversight.service';

/** What administrators changed, for the oversight roles (see OversightService). Thin. */
@ApiTags('oversight')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('oversight')
export class OversightController {
  constructor(private readonly oversight: OversightService) {}

  @Get('changes')
  @ApiOperation({
    summary: 'What administrators changed (accounts, roles, routing, retention), newest first',
    description:
      'From the audit trail, with names. For the monitoring officer and the other oversight roles: an ' +
      'administrator who gives an account a handler role gives it new reports, so they see each such change. ' +
      '`givesAccessToConcerns` marks the changes that can.',
  })
  @ApiForbiddenResponse({ description: 'The caller does not hold an oversight role' })
  changes(@CurrentSession() session: StaffSession, @Query() query: PageQuery) {
    return this.oversight.changes(session, query.limit, query.offset);
  }
}
