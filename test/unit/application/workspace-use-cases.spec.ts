// Workspace, API key and member use cases against the in-memory fakes.
import { CreateWorkspace } from '@application/workspace/create-workspace.use-case.js';
import { IssueApiKey } from '@application/workspace/issue-api-key.use-case.js';
import { RevokeApiKey } from '@application/workspace/revoke-api-key.use-case.js';
import { AuthenticateApiKey } from '@application/workspace/authenticate-api-key.use-case.js';
import { AddMember } from '@application/member/add-member.use-case.js';
import { UpdateMember } from '@application/member/update-member.use-case.js';
import { GetMember } from '@application/member/get-member.use-case.js';
import {
  InMemoryApiKeyRepository,
  InMemoryWorkspaceRepository,
} from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { UuidIdGenerator } from '@adapters/system/uuid-id-generator.js';
import { NodeCryptoSecrets } from '@adapters/system/node-crypto-secrets.js';

function setup() {
  const workspaces = new InMemoryWorkspaceRepository();
  const apiKeys = new InMemoryApiKeyRepository();
  const members = new InMemoryMemberRepository();
  const clock = new FixedClock();
  const ids = new UuidIdGenerator();
  const secrets = new NodeCryptoSecrets();
  return {
    clock,
    create: new CreateWorkspace(workspaces, apiKeys, secrets, ids, clock, new InMemoryUnitOfWork()),
    issue: new IssueApiKey(workspaces, apiKeys, secrets, ids, clock),
    revoke: new RevokeApiKey(apiKeys, clock),
    authenticate: new AuthenticateApiKey(apiKeys, secrets),
    addMember: new AddMember(members, ids, clock),
    updateMember: new UpdateMember(members, clock),
    getMember: new GetMember(members),
  };
}

describe('workspace use cases', () => {
  it('creates a workspace whose key authenticates to it, issues more keys and revokes one', async () => {
    const s = setup();
    const { workspace, apiKey, apiKeyId } = await s.create.execute({
      name: 'Acme',
      returnUrl: 'https://acme.test',
    });
    expect(apiKey).toMatch(/^kly_/);
    expect(await s.authenticate.execute(apiKey)).toEqual({ workspaceId: workspace.id, apiKeyId });
    const second = await s.issue.execute({ workspaceId: workspace.id });
    await s.revoke.execute({ workspaceId: workspace.id, keyId: apiKeyId });
    await expect(s.authenticate.execute(apiKey)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await s.authenticate.execute(second.apiKey)).workspaceId).toBe(workspace.id);
  });

  it('refuses missing, malformed and unknown keys', async () => {
    const s = setup();
    for (const key of [undefined, '', 'Bearer', 'sk_live_x', 'kly_unknown']) {
      await expect(s.authenticate.execute(key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it("cannot revoke another workspace's key, nor issue keys for an unknown workspace", async () => {
    const s = setup();
    const a = await s.create.execute({ name: 'A', returnUrl: 'https://a.test' });
    const b = await s.create.execute({ name: 'B', returnUrl: 'https://b.test' });
    await expect(s.revoke.execute({ workspaceId: b.workspace.id, keyId: a.apiKeyId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await s.authenticate.execute(a.apiKey)).workspaceId).toBe(a.workspace.id);
    await expect(s.issue.execute({ workspaceId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('member use cases', () => {
  it('adds, refuses a duplicate email, and updates with the clock time', async () => {
    const s = setup();
    const m = await s.addMember.execute({
      workspaceId: 'w',
      email: 'a@b.co',
      displayName: 'A',
      role: 'member',
    });
    await expect(
      s.addMember.execute({ workspaceId: 'w', email: 'A@B.CO', displayName: 'A2', role: 'member' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'email' }] });
    s.clock.advance(60_000);
    const updated = await s.updateMember.execute({
      workspaceId: 'w',
      memberId: m.id,
      changes: { status: 'active' },
    });
    expect(updated.toSnapshot().updatedAt).toEqual(s.clock.now());
    await expect(s.getMember.execute({ workspaceId: 'other', memberId: m.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
