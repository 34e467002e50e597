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
  @ApiProperty({ format: 'uuid', example: 'c2a4e6f8-1b3d-4f5a-9c7e-0d2b4a6c8e10' }) id!: string;
  @ApiProperty({ example: 'Acme Scheduling' }) name!: string;
  @ApiProperty({ example: 'https://app.acme.test/kailenty/return' }) returnUrl!: string;
  @ApiProperty({ description: 'Shown once; only its hash is stored.', example: 'kly_…' }) apiKey!: string;
  @ApiProperty({ format: 'uuid', example: '0e7c9a1b-2d4f-4a6c-8e0b-1d3f5a7c9e2b' }) apiKeyId!: string;
}

export class ApiKeyCreatedDto {
  @ApiProperty({ format: 'uuid', example: '0e7c9a1b-2d4f-4a6c-8e0b-1d3f5a7c9e2b' }) id!: string;
  @ApiProperty({ description: 'Shown once; only its hash is stored.', example: 'kly_…' }) apiKey!: string;
}
