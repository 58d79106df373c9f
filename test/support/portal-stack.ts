/**
 * The API and the portal, both listening on ephemeral ports, the portal talking to the API over HTTP
 * exactly as in production: what browser tests drive.
 */
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { configurePortal } from '../../apps/portal/src/app/configure-portal';
import { loadPortalConfig, PORTAL_CONFIG } from '../../apps/portal/src/app/portal-config';
import { PortalModule } from '../../apps/portal/src/app/portal.module';
import { ABUSE_OPTIONS, type AbuseOptions } from '../../apps/api/src/abuse/abuse-options';
import { startApi, startApiCapturingLogs, TEST_ABUSE_OPTIONS } from './api-app';

export interface PortalStack {
  api: INestApplication;
  apiUrl: string;
  portal: INestApplication;
  portalUrl: string;
  close(): Promise<void>;
}

function urlOf(app: INestApplication): string {
  const address = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** The portal alone, pointed at `apiUrl` (an API started elsewhere). */
export async function startPortal(apiUrl: string): Promise<{ portal: INestApplication; portalUrl: string }> {
  const config = { ...loadPortalConfig({ ...process.env, NODE_ENV: 'test' }), apiUrl };
  const moduleRef = await Test.createTestingModule({ imports: [PortalModule] })
    .overrideProvider(PORTAL_CONFIG)
    .useValue(config)
    .compile();
  const portal = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  configurePortal(portal, config);
  await portal.listen(0, '127.0.0.1');
  return { portal, portalUrl: urlOf(portal) };
}

export interface PortalStackOptions {
  /**
   * The API's abuse settings, for suites that go the no-JavaScript way many times. A wait ticket's wait
   * is the API's to enforce (apps/api/src/abuse/wait-ticket.spec.ts "refuses a ticket sent too early")
   * and the portal waits as long as the API says, so a shorter wait drives the same path.
   */
  readonly abuse?: Partial<AbuseOptions>;
}

export async function startPortalStack(options: PortalStackOptions = {}): Promise<PortalStack> {
  const api = options.abuse
    ? (
        await startApiCapturingLogs((builder) =>
          builder.overrideProvider(ABUSE_OPTIONS).useValue({ ...TEST_ABUSE_OPTIONS, ...options.abuse }),
        )
      ).app
    : await startApi();
  await api.listen(0, '127.0.0.1');
  const apiUrl = urlOf(api);
  const { portal, portalUrl } = await startPortal(apiUrl);
  return {
    api,
    apiUrl,
    portal,
    portalUrl,
    async close() {
      await portal.close();
      await api.close();
    },
  };
}
