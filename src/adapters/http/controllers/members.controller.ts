// Members of the caller's workspace.
import { Body, Controller, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AddMember } from '@application/member/add-member.use-case.js';
import { GetMember } from '@application/member/get-member.use-case.js';
import { ListMembers } from '@application/member/list-members.use-case.js';
import { UpdateMember } from '@application/member/update-member.use-case.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { InitiatedBy, WorkspaceId } from '../auth.js';
import { Idempotent } from '../idempotency.interceptor.js';
import { CreateMemberDto, MemberDto, MemberPageDto, UpdateMemberDto } from '../dto/member.dto.js';
import { PageQueryDto, toPageRequest } from '../dto/page.dto.js';
import { ConnectionViews } from '@application/connection/connection-views.js';
import { PathId, GetOne, ListPage } from '../routes.js';
import { ApiErrorResponses, ApiWorkspaceKey } from '../openapi.js';

@ApiTags('members')
@ApiWorkspaceKey()
@Controller('v1/members')
export class MembersController {
  constructor(
    private readonly addMember: AddMember,
    private readonly getMember: GetMember,
    private readonly listMembers: ListMembers,
    private readonly updateMember: UpdateMember,
    private readonly views: ConnectionViews,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Adds a member (status pending)',
    description: 'An e-mail address already used by a member of the workspace is a 400 VALIDATION_FAILED.',
  })
  @ApiCreatedResponse({ type: MemberDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async create(
    @WorkspaceId() workspaceId: string,
    @Body() body: CreateMemberDto,
    @InitiatedBy() by: Initiator,
  ): Promise<MemberDto> {
    const [member] = await this.views.members(workspaceId, [
      await this.addMember.execute({ workspaceId, ...body, by }),
    ]);
    return member!;
  }

  @ListPage('Members, with their Microsoft 365 connection, paged', MemberPageDto)
  async list(@WorkspaceId() workspaceId: string, @Query() query: PageQueryDto): Promise<MemberPageDto> {
    const page = await this.listMembers.execute({ workspaceId, page: toPageRequest(query) });
    return { data: await this.views.members(workspaceId, page.data), nextCursor: page.nextCursor };
  }

  @GetOne('One member, with its Microsoft 365 connection', MemberDto)
  async get(@WorkspaceId() workspaceId: string, @PathId('Member') id: string): Promise<MemberDto> {
    const [member] = await this.views.members(workspaceId, [
      await this.getMember.execute({ workspaceId, memberId: id }),
    ]);
    return member!;
  }

  @Patch(':id')
  @ApiOperation({ summary: "Changes a member's status, display name or role" })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE')
  async update(
    @WorkspaceId() workspaceId: string,
    @PathId('Member') id: string,
    @Body() body: UpdateMemberDto,
    @InitiatedBy() by: Initiator,
  ): Promise<MemberDto> {
    const updated = await this.updateMember.execute({ workspaceId, memberId: id, changes: body, by });
    const [member] = await this.views.members(workspaceId, [updated]);
    return member!;
  }
}
