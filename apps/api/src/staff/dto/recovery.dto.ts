import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class RecoverAccountDto {
  @ApiProperty({
    description: "The council's escrow recovery passphrase, shown once when the tenant was created",
  })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  recoveryPassphrase!: string;
}
