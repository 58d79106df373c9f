import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CASE_LINK_KINDS } from '../links.service';

/** POST /cases/:reference/links: link this case to another the caller also holds. */
export class LinkCaseDto {
  @ApiProperty({ description: 'The reference of the other case', example: 'NLN-7KQ2-M9XD' })
  @IsString({ message: 'reference must be a case reference' })
  @Matches(/^[A-Za-z0-9-]{1,20}$/, { message: 'reference must be a case reference' })
  reference!: string;

  @ApiProperty({
    enum: CASE_LINK_KINDS,
    description: 'same_subject: the same person or body; same_pattern: the same kind of wrongdoing',
  })
  @IsIn(CASE_LINK_KINDS as readonly string[], {
    message: `kind must be one of: ${CASE_LINK_KINDS.join(', ')}`,
  })
  kind!: (typeof CASE_LINK_KINDS)[number];

  @ApiProperty({
    maxLength: 2000,
    description: 'Why the cases are related (kept encrypted to each case; never shown to a reporter)',
  })
  @IsString({ message: 'note must be text' })
  @MinLength(1, { message: 'note is required' })
  @MaxLength(2000, { message: 'note must be 2000 characters or fewer' })
  note!: string;
}
