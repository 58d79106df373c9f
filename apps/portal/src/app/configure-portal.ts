import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import nunjucks from 'nunjucks';
import { csrfMiddleware } from '../common/csrf';
import { emptyFormWhenNoBody, FormBodyGuard } from './form-body';
import type { PortalConfig } from './portal-config';

/** Where govuk-frontend keeps its templates, CSS, JS and assets (fonts, images). */
// Node's own resolver, not webpack's: these are files on disk to serve, not modules to bundle.
const nodeRequire = createRequire(__filename);
const govukDist = join(dirname(nodeRequire.resolve('govuk-frontend/package.json')), 'dist');
const mojDist = dirname(nodeRequire.resolve('@ministryofjustice/frontend/package.json'));

/** The portal's own views and public files: beside the bundle in dist, or under src when run from source. */
function portalDir(name: 'views' | 'public'): string {
  const beside = join(__dirname, name);
  return existsSync(beside) ? beside : join(__dirname, '..', name);
}

/**
 * Server-rendered GOV.UK pages (docs/conventions.md §8): Nunjucks with govuk-frontend's own macros, its CSS,
 * JS and assets served from this origin (no third-party requests), a strict CSP with a per-request
 * nonce, no referrer, no caching, no cookies before sign-in, and CSRF tokens on signed-in forms.
 */
export function configurePortal(app: NestExpressApplication, config: PortalConfig): void {
  const express = app.getHttpAdapter().getInstance();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  const env = nunjucks.configure([portalDir('views'), govukDist, mojDist], {
    autoescape: true,
    express,
    noCache: config.nodeEnv !== 'production',
  });
  env.addGlobal('serviceName', config.serviceName);
  // MOJ Frontend's Nunjucks filters (date, mojDate), which its components (mojTimeline) call.
  const mojFilters = nodeRequire('@ministryofjustice/frontend/moj/filters/all') as () => Record<string, (...args: unknown[]) => unknown>;
  for (const [name, filter] of Object.entries(mojFilters())) env.addFilter(name, filter);
  app.setViewEngine('njk');

  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );
  // Forms are parsed here, ahead of Nest's own parsers, so the CSRF check below can read their token.
  app.useBodyParser('urlencoded', { extended: false, limit: '200kb' });
  // A post with nothing in it is a blank form (app/form-body.ts), not an undefined body.
  app.use(emptyFormWhenNoBody);
  // Bodies in a type the page does not read: a 415 page before the handler (app/form-body.ts).
  app.useGlobalGuards(new FormBodyGuard());
  app.use(...csrfMiddleware({ secret: config.sessionSecret, secureCookies: config.nodeEnv === 'production' }));
  const statics = { maxAge: config.nodeEnv === 'production' ? '7d' : 0, index: false, fallthrough: true };
  app.useStaticAssets(join(govukDist, 'govuk', 'assets'), { ...statics, prefix: '/assets' });
  app.useStaticAssets(join(govukDist, 'govuk'), { ...statics, prefix: '/govuk' });
  app.useStaticAssets(join(mojDist, 'moj'), { ...statics, prefix: '/moj' });
  app.useStaticAssets(portalDir('public'), { ...statics, prefix: '/public' });
  app.enableShutdownHooks();
}
