// Request and response shapes of the webhook endpoints and their delivery log.
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import {
  ALL_WEBHOOK_EVENTS,
  MAX_WEBHOOK_URL_LENGTH,
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpoint,
} from '@domain/webhook/webhook-endpoint.js';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDelivery } from '@domain/webhook/webhook-delivery.js';

const EVENT_CHOICES = [...WEBHOOK_EVENT_TYPES, ALL_WEBHOOK_EVENTS];

export class CreateWebhookEndpointDto {
  @ApiProperty({
    example: 'https://app.contoso.com/kailenty/webhooks',
    description: 'Absolute https URL; http only for localhost and 127.0.0.1 (development and tests).',
    maxLength: MAX_WEBHOOK_URL_LENGTH,
  })
  @IsString()
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url!: string;

  @ApiProperty({
    enum: EVENT_CHOICES,
    isArray: true,
    example: ['booking.created', 'booking.cancelled'],
    description: 'The event types to receive; "*" for all of them, those added to the list later included.',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_CHOICES.length)
  @IsIn(EVENT_CHOICES, { each: true })
  events!: string[];
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid', example: '5d8e2f4a-7b1c-4e9d-a3f6-0c2b8e4d6a19' }) id!: string;
  @ApiProperty({ example: 'https://app.contoso.com/kailenty/webhooks' }) url!: string;
  @ApiProperty({ enum: EVENT_CHOICES, isArray: true, example: ['booking.created', 'booking.cancelled'] })
  events!: string[];
  @ApiProperty({ format: 'date-time', example: '2026-11-01T10:05:00.000Z' }) createdAt!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description:
      'Why nothing can be delivered to this endpoint right now, or null. Set when the service cannot read ' +
      'the signing secret back (it is sealed under an encryption key its operator removed): deliveries are ' +
      'attempted, fail with this reason in their log and are retried for 24 hours, until the key is back.',
  })
  deliveryProblem!: string | null;
}

export class CreatedWebhookEndpointDto extends WebhookEndpointDto {
  @ApiProperty({
    example: 'whsec_…',
    description:
      'The HMAC-SHA256 key of the Kailenty-Signature header. Shown only in this response: keep it safe.',
  })
  secret!: string;
}

export class WebhookEndpointPageDto {
  @ApiProperty({ type: [WebhookEndpointDto] }) data!: WebhookEndpointDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class WebhookAttemptDto {
  @ApiProperty({
    description: '1 for the first attempt; a gap is an attempt whose instance stopped mid-way.',
  })
  number!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'From the start of the attempt to its outcome (null when not measured).',
  })
  durationMs!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: "The receiver's HTTP status; null: no answer." })
  responseStatus!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why it failed; null for a 2xx.' })
  error!: string | null;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The id of the body sent (stable across retries).' })
  eventId!: string;
  @ApiProperty({ example: 'booking.created' }) type!: string;
  @ApiProperty({
    enum: WEBHOOK_DELIVERY_STATUSES,
    description: '`failed`: no 2xx within 24 hours of the event; no further attempt is made.',
  })
  status!: string;
  @ApiProperty({ description: 'Attempts started so far.' }) attempts!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) lastResponseStatus!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last attempt failed.' })
  lastError!: string | null;
  @ApiProperty({
    example: '{"id":"…","type":"booking.created","createdAt":"…","sequence":1,"data":{…}}',
    description:
      'The exact JSON body POSTed and signed, the same on every attempt. For booking.* events, `sequence` numbers the booking’s events 1, 2, 3 … in the order they happened; a booking’s deliveries to an endpoint go out in that order.',
  })
  body!: string;
  @ApiProperty({ type: [WebhookAttemptDto], description: 'Every finished attempt, oldest first.' })
  attemptLog!: WebhookAttemptDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) data!: WebhookDeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export function presentEndpoint(endpoint: WebhookEndpoint): WebhookEndpointDto {
  const s = endpoint.toSnapshot();
  return {
    id: s.id,
    url: s.url,
    events: s.events,
    createdAt: s.createdAt.toISOString(),
    deliveryProblem: endpoint.secretProblem,
  };
}

export function presentDelivery(delivery: WebhookDelivery): WebhookDeliveryDto {
  const s = delivery.toSnapshot();
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: s.id,
    eventId: s.eventId,
    type: s.eventType,
    status: s.status,
    attempts: s.attempts,
    lastAttemptAt: iso(s.lastAttemptAt),
    nextAttemptAt: iso(s.nextAttemptAt),
    lastResponseStatus: s.lastResponseStatus,
    lastError: s.lastError,
    body: s.body,
    attemptLog: s.attemptLog.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() })),
    createdAt: s.createdAt.toISOString(),
  };
}
