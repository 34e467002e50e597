// Conveniences that exist only in sandbox mode: a one-link sign-in for demo members (no product UI needed)
// and a return page that shows where a browser flow ended.
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StartMicrosoftConnection } from '@application/connection/start-microsoft-connection.use-case.js';
import { Public } from '../http/auth.js';
import { PathId } from '../http/routes.js';
import { SandboxWorkspace } from './sandbox-workspace.js';

@ApiExcludeController()
@Public()
@Controller('sandbox')
export class SandboxController {
  constructor(
    private readonly start: StartMicrosoftConnection,
    private readonly sandbox: SandboxWorkspace,
  ) {}

  /** Starts a demo member's Microsoft sign-in and sends the browser (or `curl -L`) to the emulator. */
  @Get('connect/:memberId')
  async connect(@PathId('Member', 'memberId') memberId: string, @Res() reply: FastifyReply): Promise<void> {
    const { authorizeUrl } = await this.start.execute({ workspaceId: this.sandbox.workspaceId(), memberId });
    void reply.redirect(authorizeUrl, 302);
  }

  @Get('return')
  landed(@Query() query: Record<string, string>): Record<string, unknown> {
    return {
      message: 'A kailenty browser flow ended here (in production: your product’s returnUrl).',
      ...query,
    };
  }
}
