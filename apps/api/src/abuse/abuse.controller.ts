import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { AltchaChallengeDto, ChallengeQueryDto, WaitTicketDto } from './dto/challenge.dto';
import { ProofOfWorkService } from './proof-of-work.service';

@ApiTags('reporter')
@ApiExtraModels(AltchaChallengeDto, WaitTicketDto)
@Controller()
export class AbuseController {
  constructor(private readonly proofOfWork: ProofOfWorkService) {}

  @Get('tenants/:slug/challenge')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'A proof-of-work challenge (ALTCHA format), or a wait ticket for browsers without JavaScript',
    description:
      'Needed before submitting a report (purpose=submission) and before signing in with a receipt ' +
      '(purpose=reporter-session). With mode=pow (default) the answer is an ALTCHA challenge: point the ' +
      "ALTCHA widget's challengeurl here, or find the number n in 0..maxnumber with " +
      'hex(SHA-256(salt + n)) = challenge, and send base64(JSON { algorithm, challenge, number: n, salt, ' +
      'signature }) as `altcha`. A challenge expires after 10 minutes and its solution works once. With ' +
      'mode=wait the answer is { waitTicket, waitSeconds }: send `waitTicket` instead of `altcha` after ' +
      "waitSeconds and within 30 minutes. Wait tickets are limited per council per hour; when the hour's " +
      'allowance is spent the answer is 429 with Retry-After. Nothing about the caller is stored.',
  })
  @ApiOkResponse({
    description: 'An ALTCHA challenge (mode=pow) or a wait ticket (mode=wait)',
    schema: {
      oneOf: [{ $ref: getSchemaPath(AltchaChallengeDto) }, { $ref: getSchemaPath(WaitTicketDto) }],
    },
  })
  @ApiBadRequestResponse({ description: 'purpose or mode is not one of the listed values' })
  @ApiNotFoundResponse({ description: 'There is no council at this address.' })
  @ApiTooManyRequestsResponse({
    description: "mode=wait only: the council's allowance of reports without JavaScript is spent for now",
  })
  challenge(@Param('slug') slug: string, @Query() query: ChallengeQueryDto) {
    return this.proofOfWork.challengeFor(slug, query.purpose ?? 'submission', query.mode ?? 'pow');
  }
}
