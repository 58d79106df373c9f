import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../sla/clock';
import { ReporterTime } from './reporter-time';

/**
 * Reporter time for every module (docs/architecture.md "Reporter time"), with the one clock the audit
 * trail, the outbox, its relay and the workers read, so a test can move them all at once.
 */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, ReporterTime],
  exports: [Clock, ReporterTime],
})
export class ReporterTimeModule {}
