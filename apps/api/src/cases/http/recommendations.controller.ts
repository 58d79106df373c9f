import { Body, Controller, Get, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../../auth/staff-auth.guard';
import { RecommendationService } from '../commands/recommendation.service';
import { RecommendationsService } from '../reads/recommendations.service';
import { RecommendationDto, RecommendationStatusDto } from './dto/recommendations.dto';

/**
 * Recommendations as tracked actions (issue #19; docs/case-core.md "Recommendations"), for handlers
 * holding the case's internal scope. Thin: the rules are in RecommendationService and libs/domain.
 */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class RecommendationsController {
  constructor(
    private readonly commands: RecommendationService,
    private readonly reads: RecommendationsService,
  ) {}

  @Post(':reference/recommendations')
  @ApiOperation({
    summary: 'Record a recommendation: what should be done, its owner and due date (tracked; internal scope)',
    description:
      '201 with its id. 400 naming each bad field: the words, exactly one owner (ownerId of a member of staff ' +
      'who holds the case, or a free-text owner) and a due date. 404 without the internal scope.',
  })
  raise(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: RecommendationDto,
  ) {
    return this.commands.raise(staff, reference, body);
  }

  @Get(':reference/recommendations')
  @ApiOperation({
    summary:
      'The recommendations of a case, with owner, due date, status and whether overdue (audited as a read)',
  })
  list(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.reads.list(staff, reference);
  }

  @Post(':reference/recommendations/:id/status')
  @ApiOperation({
    summary: 'Move a recommendation on: in progress, implemented, or rejected with a reason',
    description:
      '201 with its new status. 409 with the reason for a change its status does not allow (implemented and ' +
      'rejected are final); 400 for a rejection without a reason; 404 for an unknown recommendation.',
  })
  update(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: RecommendationStatusDto,
  ) {
    return this.commands.update(staff, reference, id, body);
  }
}
