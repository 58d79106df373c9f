import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Res,
  StreamableFile,
  UploadedFiles,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { StreamedUploads } from '../attachments/streamed-uploads.interceptor';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { sendFile } from '../cases/http/case-content.controller';
import { parseMultipartJson } from '../intake/intake.controller';
import type { UploadedFile } from '../intake/intake.service';
import { CurrentReporter, ReporterAuthGuard, type ReporterSession } from './reporter-auth.guard';
import { ReporterNameInvolvedDto } from '../cases/http/dto/case-links.dto';
import { ReporterService } from './reporter.service';

@ApiTags('reporter')
@Controller()
export class ReporterController {
  constructor(private readonly reporter: ReporterService) {}

  @Post('tenants/:slug/reporter-sessions')
  @ApiOperation({
    summary: 'Sign in with the receipt',
    description:
      '201 { token, expiresInSeconds }; a wrong receipt gets one generic 401 and counts towards a throttle.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['receipt'],
      properties: {
        receipt: {
          type: 'string',
          example: 'stoic-banjo-turret-quill-amber-lilac-pelican',
          description: 'Any case, spaces or hyphens',
        },
        altcha: { type: 'string' },
        waitTicket: { type: 'string' },
      },
    },
  })
  signIn(@Param('slug') slug: string, @Body() body: Record<string, unknown>) {
    return this.reporter.signIn(slug, body as never);
  }

  @Get('reporter/case')
  @UseGuards(ReporterAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: "The reporter's report, its status, files and the messages" })
  view(@CurrentReporter() session: ReporterSession) {
    return this.reporter.view(session);
  }

  @Get('reporter/case/files/:id')
  @UseGuards(ReporterAuthGuard)
  @ApiBearerAuth()
  @ApiProduces('application/octet-stream')
  @ApiOperation({ summary: 'Download a file of your case (yours or one a handler sent you)' })
  async file(
    @CurrentReporter() session: ReporterSession,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return sendFile(res, await this.reporter.file(session, id));
  }

  @Post('reporter/case/messages')
  @UseGuards(ReporterAuthGuard)
  // Browsers send file names as raw UTF-8 (HTML's multipart rules); multer would read them as latin1.
  @UseInterceptors(
    StreamedUploads({ fileField: 'files', jsonField: 'message' }),
  )
  @ApiBearerAuth()
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { text: { type: 'string', maxLength: 20000 } } } })
  @ApiOperation({ summary: 'A message (and files) to the handlers' })
  message(
    @CurrentReporter() session: ReporterSession,
    @Body() body: unknown,
    @UploadedFiles() files?: UploadedFile[],
  ) {
    const parsed = parseMultipartJson(body, 'message');
    return this.reporter.sendMessage(session, (parsed ?? {}) as { text?: unknown }, files ?? []);
  }

  @Post('reporter/case/identity')
  @UseGuards(ReporterAuthGuard)
  @ApiBearerAuth()
  @ApiBody({
    schema: {
      type: 'object',
      properties: { name: { type: 'string' }, jobTitle: { type: 'string' }, contact: { type: 'string' } },
    },
  })
  @ApiOperation({
    summary: 'Tell the handlers who you are, after submitting (only the custodian can read it)',
  })
  identity(@CurrentReporter() session: ReporterSession, @Body() body: unknown) {
    return this.reporter.addIdentity(session, body);
  }

  @Post('reporter/case/involved')
  @HttpCode(200)
  @UseGuards(ReporterAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Say your concern also involves people from the form’s list (by role)',
    description:
      'Anyone holding a role you choose stops seeing your report at once, and it goes to someone independent of them; they are not told. 200 { recorded: true }; 400 if a role is not on the form.',
  })
  nameInvolved(@CurrentReporter() session: ReporterSession, @Body() body: ReporterNameInvolvedDto) {
    return this.reporter.nameInvolved(session, body);
  }

  @Delete('reporter/session')
  @HttpCode(204)
  @UseGuards(ReporterAuthGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out' })
  async signOut(@CurrentReporter() session: ReporterSession): Promise<void> {
    await this.reporter.signOut(session);
  }
}
