import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFiles,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { StreamedUploads } from '../../attachments/streamed-uploads.interceptor';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../../auth/staff-auth.guard';
import { CaseFilesService, type DownloadedFile } from '../reads/case-files.service';
import { EvidenceDto, FeedbackDto, NoteDto, TimelineQueryDto } from './dto/case-content.dto';
import { FeedbackService } from '../commands/feedback.service';
import { EVIDENCE_KINDS, NotesService, type UploadedEvidenceFile } from '../commands/notes.service';
import { TimelineService } from '../reads/timeline.service';

/**
 * What handlers add to a case and read back from it (issue #7): feedback to the reporter, internal
 * notes and evidence, file downloads and the timeline. Apart from CasesController so each stays thin;
 * the same paths under /cases, the same 404 for anyone without a grant.
 */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class CaseContentController {
  constructor(
    private readonly feedback: FeedbackService,
    private readonly notes: NotesService,
    private readonly files: CaseFilesService,
    private readonly timeline: TimelineService,
  ) {}

  @Post(':reference/feedback')
  @ApiOperation({
    summary: 'Give feedback to the reporter: the action taken or envisaged, and why',
    description:
      'Recorded as its own event in the report scope (the reporter reads it with their receipt) and meets ' +
      'the 3-month feedback clock. 409 with the reason before the case is acknowledged or once it is closed.',
  })
  giveFeedback(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: FeedbackDto,
  ) {
    return this.feedback.give(staff, reference, { actionTaken: body.actionTaken, reasons: body.reasons });
  }

  @Post(':reference/notes')
  @ApiOperation({ summary: 'Add an internal note (internal scope: handlers only, never the reporter)' })
  addNote(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: NoteDto,
  ) {
    return this.notes.addNote(staff, reference, body.text);
  }

  @Post(':reference/evidence')
  // Browsers send file names as raw UTF-8 (HTML's multipart rules); multer would read them as latin1.
  @UseInterceptors(
    StreamedUploads({ fileField: 'files' }),
  )
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['description', 'kind'],
      properties: {
        description: { type: 'string', maxLength: 20000 },
        kind: { type: 'string', enum: [...EVIDENCE_KINDS] },
        files: { type: 'array', items: { type: 'string', format: 'binary' } },
      },
    },
  })
  @ApiOperation({
    summary: 'Add evidence or an interview record, with files (internal scope)',
    description:
      'Files are checked and stripped of metadata exactly as a reporter’s are: 413 too large or too many, 415 a type we do not accept.',
  })
  addEvidence(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: EvidenceDto,
    @UploadedFiles() files?: UploadedEvidenceFile[],
  ) {
    return this.notes.addEvidence(
      staff,
      reference,
      { description: body.description, kind: body.kind },
      files ?? [],
    );
  }

  @Get(':reference/files/:id')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The file, decrypted, as an attachment under its (sanitised) name' })
  @ApiOperation({
    summary: 'Download a file of the case (a grant holder of its scope only; audited as a decryption)',
  })
  async download(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return sendFile(res, await this.files.forStaff(staff, reference, id));
  }

  @Get(':reference/timeline')
  @ApiOperation({
    summary: 'Every event of the case in order, with who, when and what (audited as a read)',
    description:
      'Built from the audit trail and the case content: each event lists the audit entries it stands for. ' +
      'Times are as stored: to the second for staff, to the hour for the reporter. Filter by type; page with ' +
      'limit and offset (total counts the events matching the filter).',
  })
  getTimeline(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Query() query: TimelineQueryDto,
  ) {
    return this.timeline.forStaff(staff, reference, {
      types: query.type ?? [],
      limit: query.limit,
      offset: query.offset,
    });
  }
}

/**
 * Sends a decrypted file as a download: `attachment` so a browser never renders it in our origin, and
 * the type we sniffed and stored, not one guessed from the name.
 */
export function sendFile(res: Response, file: DownloadedFile): StreamableFile {
  res.setHeader('Content-Disposition', attachmentDisposition(file.name));
  res.setHeader('Content-Type', file.mediaType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  return new StreamableFile(file.bytes, { length: file.bytes.length });
}

/**
 * `attachment` with the name as RFC 6266 asks: an ASCII `filename` every client reads (accents folded,
 * anything else replaced) and, when the name is not plain ASCII, the exact name as UTF-8 in `filename*`
 * (RFC 8187). Express's res.attachment sends Latin-1 bytes instead, which browsers decode unreliably.
 */
export function attachmentDisposition(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  if (ascii === name) return `attachment; filename="${ascii}"`;
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
