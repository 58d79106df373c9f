import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { TenantSigningKeys } from './tenant-signing-keys';
import { TenantsRepository } from './tenants.repository';

/** The published half of each council's export signing key: public, so anyone can verify an export. */
@ApiTags('tenants')
@Controller('tenants')
export class SigningKeyController {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly signingKeys: TenantSigningKeys,
  ) {}

  @Get(':slug/signing-key')
  @Header('Content-Type', 'application/pgp-keys')
  @ApiOperation({
    summary: "The council's export signing key (ASCII-armored OpenPGP public key), to verify exports",
    description: 'For example: curl …/signing-key | gpg --import. 404 for an unknown council.',
  })
  @ApiProduces('application/pgp-keys')
  @ApiOkResponse({ description: 'ASCII-armored OpenPGP public key' })
  async signingKey(@Param('slug') slug: string): Promise<string> {
    const tenant = await this.tenants.requireBySlug(slug);
    return (await this.signingKeys.published(tenant)).publicKey;
  }
}
