import { Body, Controller, Get, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../auth/staff-auth.guard';
import { CasesService } from './cases.service';
import { RecusalService } from './recusal.service';
import { TransitionsService } from './transitions.service';
import { AuditPageQuery, ListCasesQuery, MessageDto, RecusalDto } from './dto/list-cases.dto';

@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly transitions: TransitionsService,
    private readonly recusal: RecusalService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Cases the caller holds a grant for, with filters and pagination (the total counts only those)',
  })
  list(@CurrentStaff() staff: AuthenticatedStaff, @Query() query: ListCasesQuery) {
    return this.cases.list(staff, query);
  }

  @Get(':reference/audit')
  @ApiOperation({
    summary: "The case's audit trail, for its overseer (the monitoring officer unless conflicted)",
  })
  trail(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Query() query: AuditPageQuery,
  ) {
    return this.cases.trail(staff, reference, query);
  }

  @Post(':reference/transitions')
  @ApiOperation({
    summary: 'Move the case to its next stage: { to, ...the data that stage needs }',
    description:
      '409 with the reason if the move is not possible from here; 403 if your role may not make it; 400 naming missing data.',
  })
  transition(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: unknown,
  ) {
    return this.transitions.transition(staff, reference, body);
  }

  @Post(':reference/recusal')
  @ApiOperation({
    summary: 'Recuse yourself (declare a conflict): your access ends at once and the case is re-routed',
  })
  recuse(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: RecusalDto,
  ) {
    return this.recusal.recuse(staff, reference, body.reason);
  }

  @Post(':reference/messages')
  @ApiOperation({ summary: 'Send a message to the reporter (encrypted to the report scope)' })
  message(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: MessageDto,
  ) {
    return this.cases.sendMessage(staff, reference, body.text);
  }

  @Get(':reference')
  @ApiOperation({ summary: 'A case, decrypted for a grant holder; 404 for anyone else (never 403)' })
  get(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.cases.get(staff, reference);
  }
}
