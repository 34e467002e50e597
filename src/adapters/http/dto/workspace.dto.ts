// Request and response shapes of the operator's workspace endpoints and of a workspace's own settings.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Acme Scheduling' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({
    example: 'https://app.acme.test/kailenty/return',
    description:
      "Where browser flows (a member's sign-in, admin consent) land afterwards, with the result in the query. Without it they end on kailenty's own pages (/microsoft/connection-result, /microsoft/admin-consent/result), and requests may not name a return URL of their own.",
  })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  returnUrl?: string;
}

export class WorkspaceCreatedDto {
  @ApiProperty({ format: 'uuid', example: 'c2a4e6f8-1b3d-4f5a-9c7e-0d2b4a6c8e10' }) id!: string;
  @ApiProperty({ example: 'Acme Scheduling' }) name!: string;
  @ApiProperty({ example: 'https://app.acme.test/kailenty/return', nullable: true, type: String })
  returnUrl!: string | null;
  @ApiProperty({ description: 'Shown once; only its hash is stored.', example: 'kly_…' }) apiKey!: string;
  @ApiProperty({ format: 'uuid', example: '0e7c9a1b-2d4f-4a6c-8e0b-1d3f5a7c9e2b' }) apiKeyId!: string;
}

export class ApiKeyCreatedDto {
  @ApiProperty({ format: 'uuid', example: '0e7c9a1b-2d4f-4a6c-8e0b-1d3f5a7c9e2b' }) id!: string;
  @ApiProperty({ description: 'Shown once; only its hash is stored.', example: 'kly_…' }) apiKey!: string;
}

export class UpdateWorkspaceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  returnUrl?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 10080, description: 'booking.reminder lead time; 0: none.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10080)
  reminderMinutes?: number;
}

export class WorkspaceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "null: browser flows end on kailenty's own result pages.",
  })
  returnUrl!: string | null;
  @ApiProperty({ nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty() reminderMinutes!: number;
}
