import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../../auth/staff-auth.guard';
import { AssigneesService } from '../reads/assignees.service';

/** Who a case may be assigned to (issue #19), beside AssignmentController on the same `cases` path. */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class AssigneesController {
  constructor(private readonly assignees: AssigneesService) {}

  @Get(':reference/assignees')
  @ApiOperation({
    summary:
      'The people the case may be assigned or transferred to, with their open-case workload (overseer only)',
    description:
      'Active handlers of the council whom no exclusion rules out (named, recused, or conflicted by the concern): the same rule POST /cases/{reference}/assignment applies. 403 if you do not oversee the case.',
  })
  list(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.assignees.list(staff, reference);
  }
}
