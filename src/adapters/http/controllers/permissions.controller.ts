// The Microsoft Graph permissions kailenty requests, and why: public, for administrators before consent.
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_PERMISSIONS } from '@domain/consent/permissions.js';
import { Public } from '../auth.js';
import { PermissionListDto } from '../dto/microsoft.dto.js';

@ApiTags('public')
@Public()
@Controller('v1/permissions')
export class PermissionsController {
  @Get()
  @ApiOperation({ summary: 'The Microsoft Graph permissions kailenty asks for, and why' })
  @ApiOkResponse({ type: PermissionListDto })
  list(): PermissionListDto {
    return { data: ALL_PERMISSIONS.map((p) => ({ ...p })) };
  }
}
