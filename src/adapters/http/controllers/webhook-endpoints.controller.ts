// Outbound webhook endpoints of the caller's workspace, and each one's delivery log.
import { Body, Controller, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateWebhookEndpoint } from '@application/webhook/create-webhook-endpoint.use-case.js';
import { DeleteWebhookEndpoint } from '@application/webhook/delete-webhook-endpoint.use-case.js';
import { GetWebhookEndpoint } from '@application/webhook/get-webhook-endpoint.use-case.js';
import { ListWebhookEndpoints } from '@application/webhook/list-webhook-endpoints.use-case.js';
import { ListWebhookDeliveries } from '@application/webhook/list-webhook-deliveries.use-case.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { InitiatedBy, WorkspaceId } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { PageQueryDto, presentPage, toPageRequest } from '../dto/page.dto.js';
import {
  CreateWebhookEndpointDto,
  CreatedWebhookEndpointDto,
  WebhookDeliveryPageDto,
  WebhookEndpointDto,
  WebhookEndpointPageDto,
  presentDelivery,
  presentEndpoint,
} from '../dto/webhook.dto.js';
import { PathId, GetOne, DeleteOne, ListPage } from '../routes.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';

@ApiTags('webhooks')
@ApiWorkspaceKey()
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(
    private readonly createEndpoint: CreateWebhookEndpoint,
    private readonly listEndpoints: ListWebhookEndpoints,
    private readonly getEndpoint: GetWebhookEndpoint,
    private readonly deleteEndpoint: DeleteWebhookEndpoint,
    private readonly listDeliveries: ListWebhookDeliveries,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Registers a webhook endpoint',
    description:
      'Events are POSTed as `{ id, type, createdAt, data }` with `Kailenty-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`; anything but a 2xx within 10 s is retried, backing off from 10 s to 1 h, for 24 hours. At most 20 endpoints per workspace.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async create(
    @WorkspaceId() workspaceId: string,
    @Body() body: CreateWebhookEndpointDto,
    @InitiatedBy() by: Initiator,
  ): Promise<CreatedWebhookEndpointDto> {
    const endpoint = await this.createEndpoint.execute({
      workspaceId,
      url: body.url,
      events: body.events,
      by,
    });
    // A fresh endpoint always holds its secret: only one read back from the store may not.
    return { ...presentEndpoint(endpoint), secret: endpoint.secret! };
  }

  @ListPage('Webhook endpoints, paged', WebhookEndpointPageDto)
  async list(
    @WorkspaceId() workspaceId: string,
    @Query() query: PageQueryDto,
  ): Promise<WebhookEndpointPageDto> {
    const page = await this.listEndpoints.execute({ workspaceId, page: toPageRequest(query) });
    return presentPage(page, presentEndpoint);
  }

  @GetOne('One webhook endpoint (its secret is never shown again)', WebhookEndpointDto)
  async get(
    @WorkspaceId() workspaceId: string,
    @PathId('Webhook endpoint') id: string,
  ): Promise<WebhookEndpointDto> {
    return presentEndpoint(await this.getEndpoint.execute({ workspaceId, endpointId: id }));
  }

  @DeleteOne('Deletes a webhook endpoint and its deliveries')
  async remove(
    @WorkspaceId() workspaceId: string,
    @PathId('Webhook endpoint') id: string,
    @InitiatedBy() by: Initiator,
  ): Promise<void> {
    await this.deleteEndpoint.execute({ workspaceId, endpointId: id, by });
  }

  @GetOne(
    "The endpoint's deliveries, newest first: what was sent and how it went",
    WebhookDeliveryPageDto,
    ':id/deliveries',
  )
  async deliveries(
    @WorkspaceId() workspaceId: string,
    @PathId('Webhook endpoint') id: string,
    @Query() query: PageQueryDto,
  ): Promise<WebhookDeliveryPageDto> {
    const page = await this.listDeliveries.execute({
      workspaceId,
      endpointId: id,
      page: toPageRequest(query),
    });
    return presentPage(page, presentDelivery);
  }
}
