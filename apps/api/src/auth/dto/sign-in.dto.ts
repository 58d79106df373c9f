import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class SignInDto {
  @ApiProperty({ example: 'mo@demo.nolan.example' })
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 1, maxLength: 256 })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password!: string;

  @ApiProperty({
    required: false,
    example: '123456',
    description: 'The 6-digit code from the authenticator app',
  })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'totp must be the 6-digit code from your authenticator app' })
  totp?: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: 'At least 12 characters; a passphrase is best' })
  @IsString()
  @MinLength(12, { message: 'newPassword must be at least 12 characters' })
  @MaxLength(256)
  newPassword!: string;
}

export class ConfirmTotpDto {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'totp must be the 6-digit code from your authenticator app' })
  totp!: string;

  @ApiProperty({
    required: false,
    description:
      'The password you signed in with: needed with newPassword when your password was handed to you or two-factor sign-in was reset',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  currentPassword?: string;

  @ApiProperty({ required: false, minLength: 12, maxLength: 256, description: 'Your own new password' })
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'newPassword must be at least 12 characters' })
  @MaxLength(256)
  newPassword?: string;
}

export class ExternalKeyDto {
  @ApiProperty({ description: 'An armored OpenPGP public key (for example from `gpg --armor --export`)' })
  @IsString()
  @MinLength(100)
  @MaxLength(20000)
  armoredPublicKey!: string;
}
