import { Body, Controller, Param, Post, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StreamedUploads } from '../../attachments/streamed-uploads.interceptor';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../../auth/staff-auth.guard';
import type { UploadedEvidenceFile } from '../commands/evidence.service';
import { StaffRepliesService } from '../commands/staff-replies.service';

/** A reply to the reporter with files (issue #19), beside POST /cases/:reference/messages (text only). */
@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class StaffRepliesController {
  constructor(private readonly replies: StaffRepliesService) {}

  @Post(':reference/replies')
  @UseInterceptors(StreamedUploads({ fileField: 'files' }))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['text'],
      properties: {
        text: { type: 'string', maxLength: 20000 },
        files: { type: 'array', items: { type: 'string', format: 'binary' } },
      },
    },
  })
  @ApiOperation({
    summary: 'Reply to the reporter with files (report scope); also on a closed case the reporter wrote to',
    description:
      'Files are checked and stripped of metadata exactly as a reporter’s are: 413 too large or too many, 415 a type we do not accept.',
  })
  reply(
    @CurrentStaff() staff: AuthenticatedStaff,
    @Param('reference') reference: string,
    @Body() body: { text?: unknown },
    @UploadedFiles() files?: UploadedEvidenceFile[],
  ) {
    return this.replies.reply(staff, reference, body ?? {}, files ?? []);
  }
}
