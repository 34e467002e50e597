// Request and response shapes of the Microsoft connection, tenant consent and permissions endpoints.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class StartConnectionDto {
  @ApiPropertyOptional({
    description:
      "Where the browser lands afterwards; same origin as the workspace's returnUrl (refused when the workspace has none). Neither given: the sign-in ends on kailenty's connection result page, /microsoft/connection-result.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  returnUrl?: string;
}

export class ConnectionStartedDto {
  @ApiProperty({ description: 'Send the member’s browser here (Entra ID, organizations endpoint, PKCE).' })
  authorizeUrl!: string;
  @ApiProperty({ format: 'date-time', description: 'The sign-in must complete before this.' })
  expiresAt!: string;
}

export class StartAdminConsentDto {
  @ApiPropertyOptional({
    description: 'Tenant id or verified domain; default the bound tenant, else organizations.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  tenant?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  returnUrl?: string;
}

export class AdminConsentStartedDto {
  @ApiProperty({
    description:
      "kailenty's admin consent page (/microsoft/admin-consent?link=…, valid 1 hour): the permissions of /v1/permissions with their purposes, and one button on to Entra ID's v2.0 adminconsent endpoint with a fresh single-use state.",
  })
  adminConsentUrl!: string;
}

export class ConsentDto {
  @ApiProperty({ enum: ['none', 'admin_required', 'granted', 'revoked'] }) status!: string;
  @ApiProperty({ enum: ['admin', 'user'], nullable: true, type: String }) grantType!: string | null;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) grantedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) grantedBy!: string | null;
}

export class TenantMemberDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['connected', 'reauthorization_required', 'revoked'] }) connection!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastSignInAt!: string | null;
}

export class TenantStatusDto {
  @ApiProperty({ nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty({ type: ConsentDto }) consent!: ConsentDto;
  @ApiProperty({
    description:
      "A link for an administrator, valid 7 days: kailenty's admin consent page (/microsoft/admin-consent?link=…), then Microsoft.",
  })
  adminConsentUrl!: string;
  @ApiProperty({ format: 'date-time' }) adminConsentUrlExpiresAt!: string;
  @ApiProperty({ type: [TenantMemberDto] }) members!: TenantMemberDto[];
}

export class PermissionDto {
  @ApiProperty({ example: 'Calendars.ReadWrite' }) scope!: string;
  @ApiProperty({ enum: ['read', 'write'] }) access!: string;
  @ApiProperty() purpose!: string;
}

export class PermissionListDto {
  @ApiProperty({ type: [PermissionDto] }) data!: PermissionDto[];
}
