import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../../auth/staff-auth.guard';
import { LinkCaseDto, NameInvolvedDto } from './dto/case-links.dto';
import { InvolvementService } from '../commands/involvement.service';
import { LinksService } from '../commands/links.service';

/**
 * Links between related cases (issue #7). A separate controller on the same `cases` path as
 * CasesController, thin like every controller here; the rules are in LinksService.
 */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class CaseLinksController {
  constructor(private readonly links: LinksService) {}

  @Post(':reference/links')
  @ApiOperation({
    summary: 'Link this case to a related one you also hold (same subject, same pattern), with a note',
    description:
      '201 with the link. 404 if you do not hold both cases (the same answer as for an unknown reference); 409 if they are already linked; 400 naming a bad field. Reporters never see links.',
  })
  link(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: LinkCaseDto,
  ) {
    return this.links.link(staff, reference, body);
  }

  @Get(':reference/links')
  @ApiOperation({
    summary: 'Links on this case, each to a case you also hold; links to cases you cannot see are left out',
  })
  list(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.links.list(staff, reference);
  }

  @Delete(':reference/links/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a link (you must hold both cases); audited on both' })
  async unlink(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
  ): Promise<void> {
    await this.links.unlink(staff, reference, id);
  }
}

/**
 * Naming someone later as involved in the concern (issue #7): a separate controller on the `cases`
 * path; the rules are in InvolvementService.
 */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class InvolvementController {
  constructor(private readonly involvement: InvolvementService) {}

  @Post(':reference/involved')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Name a person (userId) or a statutory role (role) as involved: they lose access at once',
    description:
      'Everyone named loses every grant on the case immediately and is excluded from it for good (404 for them, absent from their lists, counts and searches); the case is re-routed with them as a subject of the concern (conflict routes apply) and handed to whoever routing now names. The person named is never told. 200 { named, passedTo, unrouted, withheld }; 400 naming a bad field; 409 if you cannot read the report.',
  })
  name(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: NameInvolvedDto,
  ) {
    return this.involvement.nameByHandler(staff, reference, body);
  }
}
