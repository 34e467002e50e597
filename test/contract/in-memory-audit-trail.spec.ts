// The in-memory audit trail passes the same contract as the database adapter.
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryAuditTrail } from '@adapters/in-memory/in-memory-audit-trail.js';
import { auditTrailContract } from './audit-trail.contract.js';

auditTrailContract('in-memory', async () => ({
  workspaces: new InMemoryWorkspaceRepository(),
  trail: new InMemoryAuditTrail(),
}));
