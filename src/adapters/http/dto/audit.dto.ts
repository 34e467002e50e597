// Query and response shapes of the audit trail.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AUDIT_ACTOR_TYPES, AUDIT_EVENT_TYPES, type AuditEvent } from '@domain/audit/audit-event.js';
import { PageQueryDto } from './page.dto.js';

export class AuditEventQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_EVENT_TYPES, description: 'Only events of this type.' })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES)
  type?: string;
}

export class AuditActorDto {
  @ApiProperty({
    enum: AUDIT_ACTOR_TYPES,
    description:
      '`api_key`: a workspace API key (its id); `operator`: the OPERATOR_TOKEN; `microsoft_account`: a member completing a Microsoft sign-in (`oid`, display name); `service`: kailenty on its own, e.g. a revocation seen from Microsoft.',
  })
  type!: string;
  @ApiPropertyOptional({ description: 'The API key id, or the Microsoft account `oid`. Never a key.' })
  id?: string;
  @ApiPropertyOptional({ description: "The Microsoft account's display name, when Entra ID gave one." })
  name?: string;
}

export class AuditObjectDto {
  @ApiProperty({ enum: ['api_key', 'microsoft_tenant', 'member', 'webhook_endpoint'] }) type!: string;
  @ApiProperty({ description: 'Its id; for `microsoft_tenant` the Entra ID tenant id.' }) id!: string;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: AUDIT_EVENT_TYPES }) type!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '203.0.113.7',
    description: "The caller's IP address; null when the service acted on its own.",
  })
  clientAddress!: string | null;
  @ApiProperty({ type: AuditObjectDto }) object!: AuditObjectDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { from: 'pending', to: 'active' },
    description:
      'Small non-secret facts by type: `member.status_changed` { from, to }; `member.added` { role }; `member.connected` { tenantId }; `member.connection_revoked` { status, reason }; `admin_consent.granted` { scopes }; `admin_consent.revoked` { reason }; `webhook_endpoint.created` { host, events }; {} otherwise.',
  })
  details!: Record<string, unknown>;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto] }) data!: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export function presentAuditEvent(event: AuditEvent): AuditEventDto {
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    actor: { ...event.actor },
    clientAddress: event.clientAddress,
    object: { type: event.object.type, id: event.object.id },
    details: event.details,
  };
}
