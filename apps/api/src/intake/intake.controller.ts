import { Body, Controller, Get, Param, Post, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { StreamedUploads } from '../attachments/streamed-uploads.interceptor';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppError } from '../errors/app-error';
import { IntakeService, type UploadedFile } from './intake.service';
import { submissionSchema } from './submission-schema';

/** Multipart limits, checked again (with clear messages) by the attachments module. */
export const UPLOAD_LIMITS = {
  fileSize: 20 * 1024 * 1024 + 1,
  files: 10,
  fields: 10,
  fieldSize: 1024 * 1024,
  parts: 30,
};

/** A multipart request carries the submission as JSON in the `submission` field, files in `files`. */
export function parseMultipartJson(body: unknown, field: string): unknown {
  if (typeof body !== 'object' || body === null || !(field in body)) return body;
  const raw = (body as Record<string, unknown>)[field];
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError('INVALID_INPUT', [`${field} must be JSON`]);
  }
}

@ApiTags('reporter')
@Controller('tenants/:slug')
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Get('form')
  @ApiOperation({
    summary:
      'The form: categories with guidance, questions, the people a concern may involve, identity, file limits',
  })
  form(@Param('slug') slug: string) {
    return this.intake.form(slug);
  }

  @Post('reports')
  @UseInterceptors(
    // Browsers send file names as UTF-8; multer would read them as Latin-1 without defParamCharset.
    StreamedUploads({ fileField: 'files', jsonField: 'submission', proofBeforeFiles: 'submission' }),
  )
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    description:
      'JSON as below; or multipart/form-data with the same JSON in a `submission` field and evidence files in `files`.',
    schema: submissionSchema(),
  })
  @ApiCreatedResponse({
    description: 'The case reference and the receipt (7 words), shown once: the only way back to the report.',
    schema: { type: 'object', properties: { reference: { type: 'string' }, receipt: { type: 'string' } } },
  })
  @ApiOperation({ summary: 'Raise a concern (anonymously unless identity is given)' })
  submit(@Param('slug') slug: string, @Body() body: unknown, @UploadedFiles() files?: UploadedFile[]) {
    return this.intake.submit(slug, parseMultipartJson(body, 'submission'), files ?? []);
  }
}
