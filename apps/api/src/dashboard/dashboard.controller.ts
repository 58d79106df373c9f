import { Controller, Get, Param, Query, StreamableFile, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { StaffSession } from '../auth/session-store';
import { CurrentSession, StaffAuthGuard } from '../auth/staff-auth.guard';
import { DrillQueryDto, PeriodQueryDto } from './dashboard.dto';
import { DashboardService } from './dashboard.service';

/** The dashboard, its drill-downs, the published summary and the annual report. Thin. */
@ApiTags('dashboard')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('figures')
  @ApiOperation({
    summary: 'The figures for a period (this financial year unless from and to, or year, are given)',
    description:
      "Counted from metadata only. The monitoring officer sees the council's cases, a handler their own; a case " +
      'whose exclusions name the viewer is in no figure. Each figure says which SLA policy it was measured against.',
  })
  @ApiBadRequestResponse({ description: 'A bad period, named' })
  @ApiForbiddenResponse({ description: 'Administrators, and the chair (who has the published summary)' })
  figures(@CurrentSession() session: StaffSession, @Query() query: PeriodQueryDto) {
    return this.dashboard.figures(session, query);
  }

  @Get('cases')
  @ApiOperation({ summary: 'The cases behind one figure (a drill-down), as the viewer may see them' })
  @ApiBadRequestResponse({ description: 'An unknown figure or key, or a bad period' })
  @ApiForbiddenResponse({ description: 'Administrators and the chair' })
  cases(@CurrentSession() session: StaffSession, @Query() query: DrillQueryDto) {
    return this.dashboard.drill(session, query);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'The published summary: counts below 5 shown as "fewer than 5", with complementary suppression',
  })
  @ApiForbiddenResponse({ description: 'Administrators and handlers' })
  summary(@CurrentSession() session: StaffSession, @Query() query: PeriodQueryDto) {
    return this.dashboard.summary(session, query);
  }

  @Get('annual-report/:year/:file')
  @ApiOperation({
    summary: 'Download part of the annual report for a financial year (audited)',
    description:
      'summary.pdf (public summary), exempt.pdf (exempt detail, monitoring officer only), a table as <table>.csv, ' +
      'or transparency-fraud.csv (the Transparency Code fraud figures, monitoring officer only).',
  })
  @ApiProduces('application/pdf', 'text/csv')
  @ApiNotFoundResponse({ description: 'No such part of the report' })
  @ApiForbiddenResponse({ description: 'Not for this role' })
  async download(
    @CurrentSession() session: StaffSession,
    @Param('year') year: string,
    @Param('file') file: string,
  ) {
    const made = await this.dashboard.download(session, year, file);
    return new StreamableFile(made.body, {
      type: made.type,
      disposition: `attachment; filename="${made.filename}"`,
      length: made.body.length,
    });
  }
}
