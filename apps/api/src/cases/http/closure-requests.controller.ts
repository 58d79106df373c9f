import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../../auth/staff-auth.guard';
import { ClosureRequestService } from '../commands/closure-request.service';
import { DecideClosureDto, RequestClosureDto } from './dto/closure-requests.dto';

/**
 * Asking the overseer to agree to closing a case (issue #15): thin, the rules are in
 * ClosureRequestService and libs/domain `closingNeedsAgreement`.
 */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class ClosureRequestsController {
  constructor(private readonly closures: ClosureRequestService) {}

  @Post(':reference/closure-requests')
  @ApiOperation({
    summary: 'Ask the case’s overseer to agree to closing it with an outcome',
    description:
      'Closing a case other than by the overseer’s own decision on its investigation (no further action, a referral or a duplicate at assessment, a withdrawal) needs the overseer’s agreement unless you oversee the case or hold a statutory role. 201 with the request; 409 if you already have one waiting or the case is closed.',
  })
  request(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: RequestClosureDto,
  ) {
    return this.closures.request(staff, reference, body);
  }

  @Get(':reference/closure-requests')
  @ApiOperation({ summary: 'The requests to close this case, with their reasons and answers' })
  list(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.closures.list(staff, reference);
  }

  @Post(':reference/closure-requests/:id/decision')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Agree to or refuse a closing (the case’s overseer only)',
    description:
      'An agreement lets the closing with that outcome be made once, while you still oversee the case. 403 if you do not oversee it; 409 if the request was already answered.',
  })
  decide(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: DecideClosureDto,
  ) {
    return this.closures.decide(staff, reference, id, body);
  }
}
