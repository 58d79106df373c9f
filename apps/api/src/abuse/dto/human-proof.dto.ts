import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The two ways a reporter's request proves it comes from a person; send exactly one. Request DTOs of
 * intake and receipt sign-in extend this, and pass it to ProofOfWorkService.assertHuman.
 */
export class HumanProofDto {
  @ApiPropertyOptional({
    description:
      'The ALTCHA widget payload: base64 of JSON { algorithm, challenge, number, salt, signature } for a ' +
      'challenge from GET /api/v1/tenants/{slug}/challenge, solved. Each works once, for 10 minutes.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  altcha?: string;

  @ApiPropertyOptional({
    description:
      'Without JavaScript: a ticket from GET /api/v1/tenants/{slug}/challenge?mode=wait, sent after its ' +
      'waitSeconds and within 30 minutes. Each works once.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(600)
  waitTicket?: string;
}
