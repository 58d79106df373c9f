import { Module } from '@nestjs/common';
import { TenantsRepository } from '../tenants/tenants.repository';
import { AbuseController } from './abuse.controller';
import { ABUSE_OPTIONS, DEFAULT_ABUSE_OPTIONS } from './abuse-options';
import { AbuseStore, RedisAbuseStore } from './abuse-store';
import { ProofOfWorkService } from './proof-of-work.service';
import { ReceiptSignInThrottle } from './receipt-throttle';
import { WaitTicketService } from './wait-ticket';

/**
 * Abuse resistance without tracking (docs/abuse-resistance.md): the challenge endpoint, the human check
 * intake and receipt sign-in call (ProofOfWorkService.assertHuman), and the receipt sign-in throttle.
 * Needs CoreModule (config, Redis, TypeORM) imported by the application.
 */
@Module({
  controllers: [AbuseController],
  providers: [
    ProofOfWorkService,
    WaitTicketService,
    ReceiptSignInThrottle,
    TenantsRepository,
    { provide: AbuseStore, useClass: RedisAbuseStore },
    { provide: ABUSE_OPTIONS, useValue: DEFAULT_ABUSE_OPTIONS },
  ],
  exports: [ProofOfWorkService, ReceiptSignInThrottle],
})
export class AbuseModule {}
