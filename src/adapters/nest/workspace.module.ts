// Workspaces and API keys: use cases, the operator controller and the API-key authentication.
import { Module } from '@nestjs/common';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { Secrets } from '@application/ports/secrets.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { ApiKeyRepository } from '@application/ports/api-key.repository.js';
import { WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { CreateWorkspace } from '@application/workspace/create-workspace.use-case.js';
import { IssueApiKey } from '@application/workspace/issue-api-key.use-case.js';
import { RevokeApiKey } from '@application/workspace/revoke-api-key.use-case.js';
import { AuthenticateApiKey } from '@application/workspace/authenticate-api-key.use-case.js';
import { WorkspacesController } from '../http/controllers/workspaces.controller.js';
import { WorkspaceController } from '../http/controllers/workspace.controller.js';
import { GetWorkspace } from '@application/workspace/get-workspace.use-case.js';
import { UpdateWorkspace } from '@application/workspace/update-workspace.use-case.js';
import { construct } from './provide.js';

@Module({
  controllers: [WorkspacesController, WorkspaceController],
  providers: [
    construct(GetWorkspace, [WorkspaceRepository]),
    construct(UpdateWorkspace, [WorkspaceRepository, Clock]),
    construct(CreateWorkspace, [
      WorkspaceRepository,
      ApiKeyRepository,
      Secrets,
      IdGenerator,
      Clock,
      UnitOfWork,
      AuditTrail,
    ]),
    construct(IssueApiKey, [
      WorkspaceRepository,
      ApiKeyRepository,
      Secrets,
      IdGenerator,
      Clock,
      UnitOfWork,
      AuditTrail,
    ]),
    construct(RevokeApiKey, [ApiKeyRepository, Clock, UnitOfWork, AuditTrail]),
    construct(AuthenticateApiKey, [ApiKeyRepository, Secrets]),
  ],
  exports: [CreateWorkspace, IssueApiKey, AuthenticateApiKey],
})
export class WorkspaceModule {}
