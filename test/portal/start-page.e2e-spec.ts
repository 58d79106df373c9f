import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configurePortal } from '../../apps/portal/src/app/configure-portal';
import { loadPortalConfig } from '../../apps/portal/src/app/portal-config';
import { PortalModule } from '../../apps/portal/src/app/portal.module';

describe('the portal start page', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [PortalModule] }).compile();
    const portal = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    configurePortal(portal, loadPortalConfig());
    app = await portal.init();
  });
  afterAll(() => app.close());

  it('renders a GOV.UK start page that explains anonymity, with no cookies and no caching', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(200).expect('content-type', /html/);
    expect(res.text).toContain('<h1 class="govuk-heading-xl">Raise a concern about conduct at work</h1>');
    expect(res.text).toContain('govuk-button--start');
    expect(res.text).toContain('How staying anonymous works');
    expect(res.text).toContain('href="/govuk/govuk-frontend.min.css"');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('tells the reporter to use their own device and connection, not a work one', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(200);
    expect(res.text).toContain(
      'Your employer may be able to see what you do on a work computer or network. Use your own device, on your own internet connection, and not a work phone or laptop.',
    );
  });

  it('allows only its own scripts, the inline one by a per-request nonce', async () => {
    const first = await request(app.getHttpServer()).get('/');
    const second = await request(app.getHttpServer()).get('/');
    const csp = first.headers['content-security-policy'];
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(first.text).toContain(`nonce="${nonce}"`);
    expect(second.headers['content-security-policy']).not.toContain(nonce);
    expect(first.text).not.toMatch(/<script[^>]+src="https?:/);
    expect(first.text).not.toMatch(/<link[^>]+href="https?:/);
  });

  it('serves the GOV.UK Frontend CSS, JavaScript and assets from its own origin', async () => {
    await request(app.getHttpServer())
      .get('/govuk/govuk-frontend.min.css')
      .expect(200)
      .expect('content-type', /css/);
    await request(app.getHttpServer()).get('/govuk/govuk-frontend.min.js').expect(200);
    await request(app.getHttpServer()).get('/public/init.js').expect(200);
    await request(app.getHttpServer()).get('/assets/images/favicon.svg').expect(200);
  });

  it('shows a friendly 404 page without any detail', async () => {
    const res = await request(app.getHttpServer()).get('/no-such-page?x=<script>').expect(404);
    expect(res.text).toContain('Page not found');
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toMatch(/Error:|at .*\.(js|ts):\d+/);
  });
});
