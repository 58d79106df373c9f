import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  CHALLENGE_MODES,
  type ChallengeMode,
  DEFAULT_ABUSE_OPTIONS,
  HUMAN_CHECK_PURPOSES,
  type HumanCheckPurpose,
} from '../abuse-options';

export class ChallengeQueryDto {
  @ApiPropertyOptional({
    enum: HUMAN_CHECK_PURPOSES,
    default: 'submission',
    description:
      'What the proof will be used for: submitting a report, or signing in with a receipt. A proof made ' +
      'for one is refused for the other.',
  })
  @IsOptional()
  @IsIn(HUMAN_CHECK_PURPOSES, { message: 'purpose must be submission or reporter-session' })
  purpose?: HumanCheckPurpose;

  @ApiPropertyOptional({
    enum: CHALLENGE_MODES,
    default: 'pow',
    description:
      '"pow": an ALTCHA proof-of-work challenge (needs JavaScript). "wait": a wait ticket for a browser ' +
      'without JavaScript, limited per council per hour.',
  })
  @IsOptional()
  @IsIn(CHALLENGE_MODES, { message: 'mode must be pow or wait' })
  mode?: ChallengeMode;
}

/** The ALTCHA challenge format (https://altcha.org/docs/v2/server-integration), as the widget reads it. */
export class AltchaChallengeDto {
  @ApiProperty({ enum: ['SHA-256'], example: 'SHA-256' })
  algorithm!: 'SHA-256';

  @ApiProperty({
    description: 'Hex SHA-256 of salt + the secret number: find the number in 0..maxnumber',
    example: '5c7f8f0d0f8a4a4bd8c2c2c3e1f5c6a9a0f4d2b7c1e3a5f6b8d9e0a1b2c3d4e5',
  })
  challenge!: string;

  @ApiProperty({
    description: 'The largest number to try',
    example: DEFAULT_ABUSE_OPTIONS.powMaxNumber,
  })
  maxnumber!: number;

  @ApiProperty({
    description:
      'Prefix to hash with each candidate number. Carries the council, the purpose and the expiry ' +
      '(epoch seconds) as URL parameters; changing it invalidates the signature.',
    example: '3e1b9b0c2d7f4a6e8c1d2f3a?tenant=demo&purpose=submission&expires=1767225600&',
  })
  salt!: string;

  @ApiProperty({ description: 'Our HMAC-SHA-256 of challenge; send it back unchanged' })
  signature!: string;
}

export class WaitTicketDto {
  @ApiProperty({
    description:
      'Opaque and signed. Send it as waitTicket no sooner than waitSeconds and no later than 30 minutes ' +
      'after you got it; it works once.',
  })
  waitTicket!: string;

  @ApiProperty({
    description: 'Seconds to wait before the ticket is accepted (a meta refresh of this length will do)',
    example: DEFAULT_ABUSE_OPTIONS.waitSeconds,
  })
  waitSeconds!: number;
}
