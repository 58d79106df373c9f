import { Controller, Param, Post, StreamableFile, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { type AuthenticatedStaff, CurrentStaff, StaffAuthGuard } from '../auth/staff-auth.guard';
import { ExportsService } from './exports.service';

@ApiTags('cases')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Controller('cases')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post(':reference/exports')
  @ApiOperation({
    summary:
      'Export the case for yourself: one OpenPGP message, encrypted to your key, signed by the council',
    description:
      'A binary OpenPGP message (`NLN-XXXX-XXXX.zip.pgp`) encrypted to the OpenPGP key you registered with ' +
      'PUT /me/openpgp-key and signed by the council export key (GET /tenants/{slug}/signing-key). ' +
      '`gpg --decrypt` gives a zip with case.md (summary, report, messages, notes, evidence, timeline) and the ' +
      "files under attachments/ — only the parts of the case you hold. Audited. 404 if you don't hold the case; " +
      '400 if you have no usable registered key; 429 with Retry-After while other large exports are in progress.',
  })
  @ApiProduces('application/pgp-encrypted')
  @ApiCreatedResponse({
    description:
      'The export, as a download (Content-Disposition: attachment; filename="NLN-XXXX-XXXX.zip.pgp")',
  })
  @ApiBadRequestResponse({ description: 'No registered OpenPGP key, or one that cannot be encrypted to' })
  @ApiNotFoundResponse({ description: 'No such case, or you do not hold it' })
  @ApiTooManyRequestsResponse({
    description: 'Other large exports are in progress; retry after Retry-After seconds',
  })
  async create(@CurrentStaff() staff: AuthenticatedStaff, @Param('reference') reference: string) {
    const made = await this.exports.export(staff, reference);
    return new StreamableFile(made.message, {
      type: 'application/pgp-encrypted',
      disposition: `attachment; filename="${made.filename}"`,
      length: made.message.length,
    });
  }
}
