import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../../auth/staff-auth.guard';
import { MessageService } from '../commands/message.service';
import { CasesService } from '../reads/cases.service';
import { IdentityDecisionService } from '../commands/identity-decision.service';
import { IdentityRequestService } from '../commands/identity-request.service';
import { IdentityRequestsService } from '../reads/identity-requests.service';
import { ReporterIdentityService } from '../reads/reporter-identity.service';
import { RecusalService } from '../commands/recusal.service';
import { TransitionsService } from '../commands/transitions.service';
import { TRANSITION_BODY_SCHEMA } from './dto/transition-body.schema';
import {
  AuditPageQuery,
  IdentityDecisionDto,
  ListCasesQuery,
  MessageDto,
  ReasonDto,
  RecusalDto,
} from './dto/list-cases.dto';

@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly messages: MessageService,
    private readonly transitions: TransitionsService,
    private readonly recusal: RecusalService,
    private readonly identityRequest: IdentityRequestService,
    private readonly identityRequestList: IdentityRequestsService,
    private readonly identityDecision: IdentityDecisionService,
    private readonly identity: ReporterIdentityService,
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
  @ApiBody({ schema: TRANSITION_BODY_SCHEMA })
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

  @Post(':reference/identity-requests')
  @ApiOperation({ summary: "Ask to see the reporter's identity, with reasons; the custodian decides" })
  requestIdentity(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: ReasonDto,
  ) {
    return this.identityRequest.request(staff, reference, body.reason);
  }

  @Get(':reference/identity-requests')
  @ApiOperation({ summary: 'Identity requests on the case, with their reasons and decisions' })
  identityRequests(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.identityRequestList.list(staff, reference);
  }

  @Post(':reference/identity-requests/:id/decision')
  @ApiOperation({ summary: 'The custodian approves or refuses an identity request, with reasons' })
  decideIdentity(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: IdentityDecisionDto,
  ) {
    return this.identityDecision.decide(staff, reference, id, body.approve, body.reason);
  }

  @Get(':reference/identity')
  @ApiOperation({ summary: "The reporter's identity, for those granted it; 404 for everyone else" })
  revealIdentity(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.identity.reveal(staff, reference);
  }

  @Post(':reference/messages')
  @ApiOperation({ summary: 'Send a message to the reporter (encrypted to the report scope)' })
  message(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: MessageDto,
  ) {
    return this.messages.send(staff, reference, body.text);
  }

  @Get(':reference')
  @ApiOperation({ summary: 'A case, decrypted for a grant holder; 404 for anyone else (never 403)' })
  get(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.cases.get(staff, reference);
  }
}
