// Where Microsoft Graph calls us (public: Graph sends no API key; the clientState vouches for each item,
// checked by the worker). The validation handshake echoes the token; notifications are persisted and
// answered 202 at once — never a Graph call inside the request.
import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReceiveCalendarNotifications } from '@application/notification/receive-calendar-notifications.use-case.js';
import { Public } from '../auth.js';
import { parseGraphNotifications } from '../graph-notifications.js';
import { ApiErrorResponses } from '../openapi.js';

const validationToken = ApiQuery({
  name: 'validationToken',
  required: false,
  description: 'Sent by Graph when a subscription is made: echoed back as text/plain.',
});
const handshake = ApiOkResponse({
  description: 'The validation handshake: the decoded validationToken, as text/plain.',
  schema: { type: 'string' },
});
const accepted = ApiAcceptedResponse({
  description: 'Persisted; processed afterwards (items with a wrong clientState are dropped).',
});
const graphBody = ApiBody({
  required: false,
  description: "Graph's notification collection (absent on the handshake).",
  schema: { type: 'object', properties: { value: { type: 'array', items: { type: 'object' } } } },
});

@ApiTags('Microsoft Graph change notifications')
@ApiProduces('text/plain')
@Public()
@Controller('webhooks/microsoft')
export class GraphNotificationsController {
  constructor(private readonly receive: ReceiveCalendarNotifications) {}

  @Post('notifications')
  @ApiOperation({
    summary: 'Change notifications from Microsoft Graph (called by Microsoft)',
    description: 'Answers the validation handshake; accepts notifications with 202 at once.',
  })
  @validationToken
  @graphBody
  @handshake
  @accepted
  @ApiErrorResponses('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  notifications(@Query('validationToken') token: unknown, @Body() body: unknown, @Res() reply: FastifyReply) {
    return this.handle(token, body, reply);
  }

  @Post('lifecycle')
  @ApiOperation({
    summary: 'Lifecycle notifications from Microsoft Graph (called by Microsoft)',
    description:
      'Answers the validation handshake; accepts reauthorizationRequired, subscriptionRemoved and missed with 202.',
  })
  @validationToken
  @graphBody
  @handshake
  @accepted
  @ApiErrorResponses('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
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
