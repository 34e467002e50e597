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

  @ApiProperty({ enum: MEMBER_ROLES })
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
  @ApiProperty({ enum: ['not_connected', 'connected', 'reauthorization_required', 'revoked'] })
  connection!: string;
  @ApiProperty({ nullable: true, type: String, description: "The account's object id (oid)." }) userId!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'IANA time zone of the mailbox.' }) timeZone!:
    string | null;
  @ApiProperty({ nullable: true, type: Boolean }) teamsEnabled!: boolean | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) connectedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastSignInAt!: string | null;
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
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: string;
  @ApiProperty({ enum: ['pending', 'active', 'disabled'] }) status!: string;
  @ApiProperty({ type: MicrosoftConnectionDto }) microsoft!: MicrosoftConnectionDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class MemberPageDto {
  @ApiProperty({ type: [MemberDto] }) data!: MemberDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
