import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { StaffSession } from '../auth/session-store';
import { CurrentSession, StaffAuthGuard } from '../auth/staff-auth.guard';
import { OversightService } from './oversight.service';

export class ChangesQuery {
  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit = 20;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number, 0 or more' })
  @Min(0, { message: 'offset must be a whole number, 0 or more' })
  offset = 0;
}

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
  changes(@CurrentSession() session: StaffSession, @Query() query: ChangesQuery) {
    return this.oversight.changes(session, query.limit, query.offset);
  }
}
