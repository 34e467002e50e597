// Workspaces and API keys: use cases, the operator controller and the API-key authentication.
import { Module } from '@nestjs/common';
import { Clock } from '@application/ports/clock.js';
import { IdGenerator } from '@application/ports/id-generator.js';
import { Secrets } from '@application/ports/secrets.js';
import { UnitOfWork } from '@application/ports/unit-of-work.js';
import { AuditTrail } from '@application/ports/audit-trail.js';
import { ApiKeyRepository, WorkspaceRepository } from '@application/ports/workspace.repository.js';
import { CreateWorkspace } from '@application/workspace/create-workspace.use-case.js';
import { IssueApiKey } from '@application/workspace/issue-api-key.use-case.js';
import { RevokeApiKey } from '@application/workspace/revoke-api-key.use-case.js';
import { AuthenticateApiKey } from '@application/workspace/authenticate-api-key.use-case.js';
import { WorkspacesController } from '../http/controllers/workspaces.controller.js';
import { WorkspaceController } from '../http/controllers/workspace.controller.js';
import { GetWorkspace, UpdateWorkspace } from '@application/workspace/workspace-settings.use-case.js';

@Module({
  controllers: [WorkspacesController, WorkspaceController],
  providers: [
    {
      provide: GetWorkspace,
      useFactory: (w: WorkspaceRepository) => new GetWorkspace(w),
      inject: [WorkspaceRepository],
    },
    {
      provide: UpdateWorkspace,
      useFactory: (w: WorkspaceRepository, c: Clock) => new UpdateWorkspace(w, c),
      inject: [WorkspaceRepository, Clock],
    },
    {
      provide: CreateWorkspace,
      useFactory: (
        w: WorkspaceRepository,
        k: ApiKeyRepository,
        s: Secrets,
        i: IdGenerator,
        c: Clock,
        u: UnitOfWork,
        a: AuditTrail,
      ) => new CreateWorkspace(w, k, s, i, c, u, a),
      inject: [WorkspaceRepository, ApiKeyRepository, Secrets, IdGenerator, Clock, UnitOfWork, AuditTrail],
    },
    {
      provide: IssueApiKey,
      useFactory: (
        w: WorkspaceRepository,
        k: ApiKeyRepository,
        s: Secrets,
        i: IdGenerator,
        c: Clock,
        u: UnitOfWork,
        a: AuditTrail,
      ) => new IssueApiKey(w, k, s, i, c, u, a),
      inject: [WorkspaceRepository, ApiKeyRepository, Secrets, IdGenerator, Clock, UnitOfWork, AuditTrail],
    },
    {
      provide: RevokeApiKey,
      useFactory: (k: ApiKeyRepository, c: Clock, u: UnitOfWork, a: AuditTrail) =>
        new RevokeApiKey(k, c, u, a),
      inject: [ApiKeyRepository, Clock, UnitOfWork, AuditTrail],
    },
    {
      provide: AuthenticateApiKey,
      useFactory: (k: ApiKeyRepository, s: Secrets) => new AuthenticateApiKey(k, s),
      inject: [ApiKeyRepository, Secrets],
    },
  ],
  exports: [CreateWorkspace, IssueApiKey, AuthenticateApiKey],
})
export class WorkspaceModule {}
