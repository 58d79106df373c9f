import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../../auth/staff-auth.guard';
import { DecideNamingDto, LinkCaseDto, NameInvolvedDto } from './dto/case-links.dto';
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
    summary:
      'Name a person (userId) or a statutory role (role) as involved: at once if you name yourself or oversee the case, otherwise a request the overseer confirms',
    description:
      'The people named are frozen now (the holders of a named role at this moment) and, once the naming takes effect, lose every grant on the case and are excluded from it for good, whatever their later roles (404 for them, absent from their lists, counts and searches); the case is re-routed with them as subjects of the concern and handed to whoever routing now names. The person named is never told. A naming takes effect at once when it names only you or you oversee the case: 200 { named, passedTo, unrouted, withheld }. Otherwise it is a request with no effect until the case\'s overseer (or, when it names the overseer, whoever would oversee the case instead, who is given the case to decide) confirms it: 202 { requestId, status: "pending", named }. 400 naming a bad field; 409 if you cannot read the report, or nobody in the council could confirm it.',
  })
  async name(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: NameInvolvedDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.involvement.nameByHandler(staff, reference, body);
    if ('requestId' in result) res.status(202);
    return result;
  }

  @Get(':reference/involved/requests')
  @ApiOperation({
    summary: 'The naming requests you made or may confirm, with their reasons and the people they name',
    description:
      'A pending request is never shown to someone it names. canDecide says whether you may confirm or reject it now.',
  })
  requests(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    return this.involvement.requests(staff, reference);
  }

  @Post(':reference/involved/requests/:id/decision')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm or reject a naming request (its confirmer only)',
    description:
      'Who may is decided again now: the case\'s overseer, or, when the naming names the overseer, whoever would oversee the case with it in effect. Confirming excludes the people it named at once and re-routes the case: 200 { id, status: "confirmed", named, passedTo, unrouted, withheld }. Rejecting changes nothing: 200 { id, status: "rejected" }. 403 if you may not decide it; 409 if it was already decided.',
  })
  decide(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() body: DecideNamingDto,
  ) {
    return this.involvement.decide(staff, reference, id, body);
  }
}
