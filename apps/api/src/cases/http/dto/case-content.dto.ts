import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  IsString,
  MaxLength,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { EVIDENCE_KINDS } from '../../commands/evidence.service';
import { TIMELINE_EVENT_TYPES, type TimelineEventType } from '../../reads/timeline.service';

/** Not just whitespace: a blank feedback or note would be recorded as if something had been said. */
@ValidatorConstraint({ name: 'notBlank' })
class NotBlank implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value.trim() !== '';
  }
  defaultMessage(args?: ValidationArguments): string {
    return `${args?.property ?? 'this field'} is required`;
  }
}

export class FeedbackDto {
  @ApiProperty({
    maxLength: 20000,
    description:
      'What action has been taken, or is envisaged, on the concern (EU-09 "action envisaged or taken")',
  })
  @IsString({ message: 'actionTaken must be text' })
  @Validate(NotBlank)
  @MaxLength(20000)
  actionTaken!: string;

  @ApiProperty({ maxLength: 20000, description: 'The grounds for that action (EU-09 "the grounds")' })
  @IsString({ message: 'reasons must be text' })
  @Validate(NotBlank)
  @MaxLength(20000)
  reasons!: string;
}

export class NoteDto {
  @ApiProperty({ maxLength: 20000, description: 'The note: for the handlers only, never the reporter' })
  @IsString({ message: 'text must be text' })
  @Validate(NotBlank)
  @MaxLength(20000)
  text!: string;
}

/** The fields of POST /cases/:reference/evidence (multipart form fields, or JSON without files). */
export class EvidenceDto {
  @ApiProperty({ maxLength: 20000, description: 'What the evidence is and what it shows' })
  @IsString({ message: 'description must be text' })
  @Validate(NotBlank)
  @MaxLength(20000)
  description!: string;

  @ApiProperty({ enum: EVIDENCE_KINDS })
  @IsIn(EVIDENCE_KINDS as readonly string[], { message: `kind must be one of: ${EVIDENCE_KINDS.join(', ')}` })
  kind!: (typeof EVIDENCE_KINDS)[number];
}

export class TimelineQueryDto {
  @ApiPropertyOptional({
    description: 'Only events of these types (comma-separated, or the parameter repeated)',
    type: [String],
    enum: TIMELINE_EVENT_TYPES,
    example: 'transition,feedback',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean),
  )
  @IsIn(TIMELINE_EVENT_TYPES as readonly string[], {
    each: true,
    message: `type must be one or more of: ${TIMELINE_EVENT_TYPES.join(', ')}`,
  })
  type?: TimelineEventType[];

  @ApiPropertyOptional({ default: 500, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(1000)
  limit = 500;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number' })
  @Min(0)
  offset = 0;
}
