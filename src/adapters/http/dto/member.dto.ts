// Request and response shapes of the member endpoints.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MEMBER_ROLES, type MemberRole } from '@domain/member/member.js';

export class CreateMemberDto {
  @ApiProperty({ example: 'adele.vance@contoso.com' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Adele Vance' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ enum: MEMBER_ROLES, example: 'member' })
  @IsIn(MEMBER_ROLES)
  role!: MemberRole;
}

export class UpdateMemberDto {
  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ enum: MEMBER_ROLES })
  @IsOptional()
  @IsIn(MEMBER_ROLES)
  role?: MemberRole;
}

export class ConnectionWarningDto {
  @ApiProperty({ enum: ['TIME_ZONE_UNMAPPED'] }) code!: 'TIME_ZONE_UNMAPPED';
  @ApiProperty({ description: 'The mailbox zone as Microsoft named it.' }) windowsTimeZone!: string;
}

export class MicrosoftConnectionDto {
  @ApiProperty({
    enum: ['not_connected', 'connected', 'reauthorization_required', 'revoked'],
    example: 'connected',
  })
  connection!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The account's object id (oid).",
    example: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
  })
  userId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d' })
  tenantId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'IANA time zone of the mailbox.',
    example: 'Europe/Berlin',
  })
  timeZone!: string | null;
  @ApiProperty({ nullable: true, type: Boolean, example: true }) teamsEnabled!: boolean | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: '2026-11-02T08:15:00.000Z' })
  connectedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: '2026-11-19T07:58:41.000Z' })
  lastSignInAt!: string | null;
  @ApiPropertyOptional({ description: 'Present when the connection needs repair.' }) reconnectUrl?: string;
  @ApiPropertyOptional({
    type: [ConnectionWarningDto],
    description:
      'Present when something Microsoft gave could not be used: TIME_ZONE_UNMAPPED when the mailbox zone ' +
      '(windowsTimeZone, e.g. a custom zone) has no IANA equivalent; timeZone is then null and ' +
      'availability uses UTC until one is set.',
  })
  warnings?: ConnectionWarningDto[];
  @ApiPropertyOptional({
    enum: ['active', 'unavailable'],
    description:
      'For a connected member: whether Outlook changes reach kailenty through Graph change notifications ' +
      '(unavailable: the subscription could not be made, and free/busy is cached only briefly).',
  })
  changeNotifications?: 'active' | 'unavailable';
}

export class MemberDto {
  @ApiProperty({ format: 'uuid', example: '9a0e5c7b-3f2d-4e1a-b6c8-7d4f2e1a0b95' }) id!: string;
  @ApiProperty({ example: 'adele.vance@contoso.com' }) email!: string;
  @ApiProperty({ example: 'Adele Vance' }) displayName!: string;
  @ApiProperty({ enum: MEMBER_ROLES, example: 'member' }) role!: string;
  @ApiProperty({ enum: ['pending', 'active', 'disabled'], example: 'active' }) status!: string;
  @ApiProperty({ type: MicrosoftConnectionDto }) microsoft!: MicrosoftConnectionDto;
  @ApiProperty({ format: 'date-time', example: '2026-11-01T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-02T08:15:00.000Z' }) updatedAt!: string;
}

export class MemberPageDto {
  @ApiProperty({ type: [MemberDto] }) data!: MemberDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
