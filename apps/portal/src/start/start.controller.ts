import { Controller, Get, Render } from '@nestjs/common';

/** The service start page: what Nolan is, how anonymity works, and the other routes a worker has. */
@Controller()
export class StartController {
  @Get()
  @Render('pages/start')
  start() {
    return {};
  }
}
