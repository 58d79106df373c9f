/**
 * The ALTCHA widget (the `altcha` package's strict-CSP build: external worker and stylesheet, no inline
 * styles or blob: workers) served from the portal's own origin, so solving the proof of work makes no
 * third-party request. Only these three files are served.
 */
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Node's own resolver, not webpack's: these are files on disk to serve, not modules to bundle.
const altchaDir = dirname(createRequire(__filename).resolve('altcha/worker'));

const FILES: Readonly<Record<string, string>> = {
  'altcha.js': 'text/javascript; charset=utf-8',
  'worker.js': 'text/javascript; charset=utf-8',
  'altcha.css': 'text/css; charset=utf-8',
};

@Controller('altcha')
export class AltchaAssetsController {
  @Get(':file')
  file(@Param('file') file: string, @Res() res: Response): void {
    const type = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
    if (!type) throw new NotFoundException();
    res.setHeader('Content-Type', type);
    res.sendFile(join(altchaDir, file));
  }
}
