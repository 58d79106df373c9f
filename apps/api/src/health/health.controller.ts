import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'Postgres, Redis and whether a worker is alive, up or down, no counts; 503 when any is down',
  })
  async check(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([
        () => this.postgres.pingCheck('postgres', { timeout: 1500 }),
        () => this.redis.redisUp(),
        () => this.redis.queues(),
      ]);
    } catch (error) {
      // Terminus reports a failed check as a 503 carrying the full result; answer it as such here
      // rather than letting the global filter reduce it to a bare message.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return error.getResponse();
    }
  }
}
