// Every table mapping the ORM knows.
import { ApiKeySchema, WorkspaceSchema } from './workspace.schema.js';
import { MemberSchema } from './member.schema.js';
import { AvailabilityPolicySchema, EventTypeHostSchema, EventTypeSchema } from './availability.schema.js';
import {
  AuthorizationStateSchema,
  DomainEventSchema,
  MicrosoftConnectionSchema,
  TenantConsentSchema,
} from './microsoft.schema.js';
import { WebhookDeliverySchema, WebhookEndpointSchema } from './webhook.schema.js';
import { AuditEventSchema } from './audit.schema.js';

export const entities = [
  WorkspaceSchema,
  ApiKeySchema,
  MemberSchema,
  MicrosoftConnectionSchema,
  TenantConsentSchema,
  AuthorizationStateSchema,
  DomainEventSchema,
  AvailabilityPolicySchema,
  EventTypeSchema,
  EventTypeHostSchema,
  WebhookEndpointSchema,
  WebhookDeliverySchema,
  AuditEventSchema,
];
