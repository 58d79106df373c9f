import { type INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { answerClientErrors } from '../common/client-errors';
import { jsonBody } from '../common/json-body';
import { RequestShapeGuard } from '../common/request-shape.guard';
import { GlobalExceptionFilter, isExposedHttpError, toErrorBody } from '../errors/global-exception.filter';

export const API_PREFIX = 'api/v1';

/**
 * Everything the HTTP API sets up around its modules, shared by main.ts and the end-to-end tests so
 * that tests exercise exactly what runs in production.
 */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  answerClientErrors(app.getHttpServer() as Server);
  // Our own JSON parser (with the depth, key and text checks of common/json-body.ts), followed at once by
  // a handler for what it rejects (malformed JSON, oversized bodies, those checks), so those answers are
  // ours, with a clear message, before Nest's router sees the request.
  app.use(...jsonBody('1mb'));
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!isExposedHttpError(err)) return next(err);
    const body = toErrorBody(err);
    res.status(body.statusCode).json(body);
  });
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
  // Registered here rather than as APP_FILTER so it also answers errors raised before routing
  // (body-parser: malformed JSON, oversized bodies).
  app.useGlobalFilters(new GlobalExceptionFilter());
  // Media type and parameter checks, ahead of every route's own guards (common/request-shape.guard.ts).
  app.useGlobalGuards(new RequestShapeGuard(app.get(Reflector)));
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
