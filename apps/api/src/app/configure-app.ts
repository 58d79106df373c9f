import { type INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { GlobalExceptionFilter } from '../errors/global-exception.filter';

export const API_PREFIX = 'api/v1';

/**
 * Everything the HTTP API sets up around its modules, shared by main.ts and the end-to-end tests so
 * that tests exercise exactly what runs in production.
 */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.useBodyParser('json', { limit: '1mb' });
  app.use(
    helmet({
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );
  // Nothing the API answers may be cached by a browser or a proxy (a shared office PC, a corporate cache).
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Nolan API')
      .setDescription('Whistleblowing and breach case management. Errors are { statusCode, error, message }.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** Express error handler for errors raised before Nest routing (e.g. malformed JSON bodies). */
export function installFallbackErrorHandler(app: NestExpressApplication): void {
  const filter = new GlobalExceptionFilter();
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    filter.catch(err, { switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as never);
  });
}
