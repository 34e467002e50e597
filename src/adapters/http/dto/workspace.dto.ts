// Request and response shapes of the operator endpoints.
import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, MaxLength, MinLength } from 'class-validator';

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Acme Scheduling' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    example: 'https://app.acme.test/kailenty/return',
    description: 'Where browser flows land afterwards.',
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  returnUrl!: string;
}

export class WorkspaceCreatedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() returnUrl!: string;
  @ApiProperty({ description: 'Shown once; only its hash is stored.', example: 'kly_…' }) apiKey!: string;
  @ApiProperty({ format: 'uuid' }) apiKeyId!: string;
}

export class ApiKeyCreatedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Shown once; only its hash is stored.', example: 'kly_…' }) apiKey!: string;
}
