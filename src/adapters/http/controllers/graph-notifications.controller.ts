// Where Microsoft Graph calls us (public: Graph sends no API key; the clientState vouches for each item,
// checked by the worker). The validation handshake echoes the token; notifications are persisted and
// answered 202 at once — never a Graph call inside the request.
import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReceiveCalendarNotifications } from '@application/notification/receive-calendar-notifications.use-case.js';
import { Public } from '../auth.js';
import { parseGraphNotifications } from '../graph-notifications.js';

@ApiExcludeController()
@Public()
@Controller('webhooks/microsoft')
export class GraphNotificationsController {
  constructor(private readonly receive: ReceiveCalendarNotifications) {}

  @Post('notifications')
  notifications(@Query('validationToken') token: unknown, @Body() body: unknown, @Res() reply: FastifyReply) {
    return this.handle(token, body, reply);
  }

  @Post('lifecycle')
  lifecycle(@Query('validationToken') token: unknown, @Body() body: unknown, @Res() reply: FastifyReply) {
    return this.handle(token, body, reply);
  }

  private async handle(token: unknown, body: unknown, reply: FastifyReply): Promise<void> {
    if (typeof token === 'string') {
      // Fastify has already URL-decoded the query: Graph wants the decoded token back, as text/plain.
      void reply.status(200).header('content-type', 'text/plain; charset=utf-8').send(token);
      return;
    }
    await this.receive.execute(parseGraphNotifications(body));
    void reply.status(202).send();
  }
}
