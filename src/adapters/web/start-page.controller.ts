// `GET /` outside the sandbox: a few words naming the service and where its API reference is. (In sandbox
// mode SandboxStartPageController answers `/` with the demo workspace instead.)
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/auth.js';
import { WebAssets } from './web-assets.js';
import { sendPage } from './send-page.js';
import { servicePageHtml } from './start-page.js';

@ApiExcludeController()
@Public()
@Controller()
export class StartPageController {
  constructor(private readonly assets: WebAssets) {}

  @Get()
  page(@Res() reply: FastifyReply): void {
    sendPage(reply, 200, servicePageHtml(this.assets));
  }
}
