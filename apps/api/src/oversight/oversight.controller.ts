import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { isStaffRole, roleNeedsConfirmation, type StaffRole } from '@nolan/domain';
import type { StaffSession } from '../auth/session-store';
import { CurrentSession, StaffAuthGuard } from '../auth/staff-auth.guard';
import { AuditCheckpoints } from '../audit/audit-checkpoints.service';
import { PageQuery } from '../common/page-query';
import { AppError } from '../errors/app-error';
import { FallbackOverseerDto, RoleLeadDto, RoleRequestDecisionDto } from './dto/role-requests.dto';
import { OversightService } from './oversight.service';
import { RoleConfirmationService } from './role-confirmation.service';

/** What administrators changed and the roles they asked for, for the oversight roles. Thin. */
@ApiTags('oversight')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('oversight')
export class OversightController {
  constructor(
    private readonly oversight: OversightService,
    private readonly confirmations: RoleConfirmationService,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

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

  @Get('role-requests')
  @ApiOperation({
    summary: 'Roles administrators asked for that await confirmation; until confirmed they give nothing',
  })
  @ApiForbiddenResponse({ description: 'The caller does not hold an oversight role' })
  roleRequests(@CurrentSession() session: StaffSession) {
    return this.confirmations.list(session);
  }

  @Post('role-requests/:userId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm or refuse the roles awaiting confirmation on one account',
    description:
      'The monitoring officer decides; a change concerning the monitoring officer’s post, the head of paid ' +
      'service. Nobody decides on their own account. `lead: true` makes the person the lead holder of each role.',
  })
  @ApiForbiddenResponse({ description: 'The caller may not decide this request (the message says who does)' })
  @ApiNotFoundResponse({ description: 'No role request for this account' })
  @ApiConflictResponse({ description: 'The request changed since the decider saw it: nothing was decided' })
  decide(
    @CurrentSession() session: StaffSession,
    @Param('userId', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) userId: string,
    @Body() body: RoleRequestDecisionDto,
  ) {
    return this.confirmations.decide(session, userId, body);
  }

  @Get('audit-checkpoint')
  @ApiOperation({
    summary:
      'A signed checkpoint of the council’s audit trail, as a file to keep outside Nolan (monitoring officer)',
    description:
      'Records the trail’s head now and returns it signed with the installation’s audit key. ' +
      '`npm run nolan -- audit:verify --checkpoint FILE` later proves the trail against it: a rewritten or ' +
      'shortened trail fails.',
  })
  @ApiForbiddenResponse({ description: 'The caller is not the monitoring officer' })
  async auditCheckpoint(@CurrentSession() session: StaffSession, @Res({ passthrough: true }) res: Response) {
    const file = await this.checkpoints.signedCheckpoint(session);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="nolan-audit-checkpoint-${file.tenant}-${file.seq}.json"`,
    );
    res.setHeader('Cache-Control', 'no-store');
    return file;
  }

  @Get('fallback-overseer')
  @ApiOperation({
    summary: 'The council’s fallback overseer role, and how many open cases have no overseer at all',
    description:
      'When every oversight role is involved in a concern, recused or not set up, the case goes to a holder of this role instead of being left with the escrow key (default: the chair of the audit committee). `warning` says, loudly, when even that left cases without an overseer.',
  })
  @ApiForbiddenResponse({ description: 'The caller does not hold an oversight role' })
  fallbackOverseer(@CurrentSession() session: StaffSession) {
    return this.oversight.fallbackOverseer(session);
  }

  @Put('fallback-overseer')
  @ApiOperation({ summary: 'Designate the fallback overseer role (the monitoring officer only)' })
  @ApiForbiddenResponse({ description: 'The caller is not the monitoring officer' })
  setFallbackOverseer(@CurrentSession() session: StaffSession, @Body() body: FallbackOverseerDto) {
    return this.oversight.setFallbackOverseer(session, body.role);
  }

  @Put('role-leads/:role')
  @ApiOperation({ summary: 'Choose the lead holder of a role: routing gives them its cases first' })
  @ApiForbiddenResponse({ description: 'The caller may not choose it (the message says who does)' })
  @ApiNotFoundResponse({ description: 'No such role, or the person does not hold it' })
  designateLead(
    @CurrentSession() session: StaffSession,
    @Param('role') role: string,
    @Body() body: RoleLeadDto,
  ) {
    if (!isStaffRole(role) || !roleNeedsConfirmation(role))
      throw new AppError('NOT_FOUND', 'There is no such role to lead.');
    return this.confirmations.designateLead(session, role as StaffRole, body.userId);
  }
}
