// Workspace, API key and member use cases against the in-memory fakes.
import { CreateWorkspace } from '@application/workspace/create-workspace.use-case.js';
import { IssueApiKey } from '@application/workspace/issue-api-key.use-case.js';
import { RevokeApiKey } from '@application/workspace/revoke-api-key.use-case.js';
import { AuthenticateApiKey } from '@application/workspace/authenticate-api-key.use-case.js';
import { AddMember } from '@application/member/add-member.use-case.js';
import { UpdateMember } from '@application/member/update-member.use-case.js';
import { GetMember } from '@application/member/get-member.use-case.js';
import { InMemoryApiKeyRepository } from '@adapters/in-memory/in-memory-api-key.repository.js';
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { UuidIdGenerator } from '@adapters/system/uuid-id-generator.js';
import { NodeCryptoSecrets } from '@adapters/system/node-crypto-secrets.js';
import { InMemoryAuditTrail } from '@adapters/in-memory/in-memory-audit-trail.js';
import type { Initiator } from '@domain/audit/audit-event.js';

const operator: Initiator = { actor: { type: 'operator' }, clientAddress: '198.51.100.1' };
const apiKey: Initiator = { actor: { type: 'api_key', id: 'key-1' }, clientAddress: '198.51.100.2' };

function setup() {
  const workspaces = new InMemoryWorkspaceRepository();
  const apiKeys = new InMemoryApiKeyRepository();
  const members = new InMemoryMemberRepository();
  const clock = new FixedClock();
  const ids = new UuidIdGenerator();
  const secrets = new NodeCryptoSecrets();
  const uow = new InMemoryUnitOfWork();
  const audit = new InMemoryAuditTrail();
  return {
    clock,
    audit,
    /** The workspace's whole trail, newest first. */
    trail: async (workspaceId: string) => (await audit.list(workspaceId, { limit: 200 })).data,
    create: new CreateWorkspace(workspaces, apiKeys, secrets, ids, clock, uow, audit),
    issue: new IssueApiKey(workspaces, apiKeys, secrets, ids, clock, uow, audit),
    revoke: new RevokeApiKey(apiKeys, clock, uow, audit),
    authenticate: new AuthenticateApiKey(apiKeys, secrets),
    addMember: new AddMember(members, ids, clock, uow, audit),
    updateMember: new UpdateMember(members, clock, uow, audit),
    getMember: new GetMember(members),
  };
}

describe('workspace use cases', () => {
  it('creates a workspace whose key authenticates to it, issues more keys and revokes one', async () => {
    const s = setup();
    const { workspace, apiKey, apiKeyId } = await s.create.execute({
      by: operator,
      name: 'Acme',
      returnUrl: 'https://acme.test',
    });
    expect(apiKey).toMatch(/^kly_/);
    expect(await s.authenticate.execute(apiKey)).toEqual({ workspaceId: workspace.id, apiKeyId });
    const second = await s.issue.execute({ by: operator, workspaceId: workspace.id });
    await s.revoke.execute({ by: operator, workspaceId: workspace.id, keyId: apiKeyId });
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
    const a = await s.create.execute({ by: operator, name: 'A', returnUrl: 'https://a.test' });
    const b = await s.create.execute({ by: operator, name: 'B', returnUrl: 'https://b.test' });
    await expect(
      s.revoke.execute({ by: operator, workspaceId: b.workspace.id, keyId: a.apiKeyId }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await s.authenticate.execute(a.apiKey)).workspaceId).toBe(a.workspace.id);
    await expect(s.issue.execute({ by: operator, workspaceId: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('member use cases', () => {
  it('adds, refuses a duplicate email, and updates with the clock time', async () => {
    const s = setup();
    const m = await s.addMember.execute({
      by: apiKey,
      workspaceId: 'w',
      email: 'a@b.co',
      displayName: 'A',
      role: 'member',
    });
    await expect(
      s.addMember.execute({
        by: apiKey,
        workspaceId: 'w',
        email: 'A@B.CO',
        displayName: 'A2',
        role: 'member',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'email' }] });
    s.clock.advance(60_000);
    const updated = await s.updateMember.execute({
      by: apiKey,
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

describe('the audit trail of keys and members', () => {
  it('records the first key, each key issued and each key revoked, with who did it and from where', async () => {
    const s = setup();
    const {
      workspace,
      apiKey: first,
      apiKeyId,
    } = await s.create.execute({
      by: operator,
      name: 'Acme',
      returnUrl: 'https://acme.test',
    });
    s.clock.advance(1000);
    const second = await s.issue.execute({ by: operator, workspaceId: workspace.id });
    s.clock.advance(1000);
    await s.revoke.execute({ by: operator, workspaceId: workspace.id, keyId: apiKeyId });
    const trail = await s.trail(workspace.id);
    expect(trail).toEqual([
      expect.objectContaining({
        type: 'api_key.revoked',
        object: { type: 'api_key', id: apiKeyId },
        actor: { type: 'operator' },
        clientAddress: '198.51.100.1',
        occurredAt: s.clock.now(),
        details: {},
      }),
      expect.objectContaining({ type: 'api_key.issued', object: { type: 'api_key', id: second.id } }),
      expect.objectContaining({ type: 'api_key.issued', object: { type: 'api_key', id: apiKeyId } }),
    ]);
    const dump = JSON.stringify(trail);
    expect(dump).not.toContain(first);
    expect(dump).not.toContain(second.apiKey);
  });

  it('records nothing for a key revoked again, nor for a refused revocation', async () => {
    const s = setup();
    const a = await s.create.execute({ by: operator, name: 'A', returnUrl: 'https://a.test' });
    const b = await s.create.execute({ by: operator, name: 'B', returnUrl: 'https://b.test' });
    // Events of one instant have no order among them: the revocation comes a second later.
    s.clock.advance(1000);
    await s.revoke.execute({ by: operator, workspaceId: a.workspace.id, keyId: a.apiKeyId });
    await s.revoke.execute({ by: operator, workspaceId: a.workspace.id, keyId: a.apiKeyId });
    await expect(
      s.revoke.execute({ by: operator, workspaceId: b.workspace.id, keyId: a.apiKeyId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await s.trail(a.workspace.id)).map((e) => e.type)).toEqual(['api_key.revoked', 'api_key.issued']);
    expect((await s.trail(b.workspace.id)).map((e) => e.type)).toEqual(['api_key.issued']);
  });

  it('records a member added and each status change (from, to), by the API key that asked', async () => {
    const s = setup();
    const m = await s.addMember.execute({
      by: apiKey,
      workspaceId: 'w',
      email: 'a@b.co',
      displayName: 'A',
      role: 'admin',
    });
    await expect(
      s.addMember.execute({
        by: apiKey,
        workspaceId: 'w',
        email: 'A@B.CO',
        displayName: 'A2',
        role: 'member',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const change = (changes: { status?: 'active' | 'disabled'; displayName?: string }) =>
      s.updateMember.execute({ by: apiKey, workspaceId: 'w', memberId: m.id, changes });
    s.clock.advance(1000);
    await change({ status: 'active' });
    s.clock.advance(1000);
    await change({ displayName: 'Renamed' });
    await change({ status: 'active' });
    s.clock.advance(1000);
    await change({ status: 'disabled', displayName: 'Gone' });
    const trail = await s.trail('w');
    expect(trail.map((e) => [e.type, e.details])).toEqual([
      ['member.status_changed', { from: 'active', to: 'disabled' }],
      ['member.status_changed', { from: 'pending', to: 'active' }],
      ['member.added', { role: 'admin' }],
    ]);
    for (const event of trail) {
      expect(event).toMatchObject({
        actor: { type: 'api_key', id: 'key-1' },
        clientAddress: '198.51.100.2',
        object: { type: 'member', id: m.id },
      });
    }
    await expect(
      s.updateMember.execute({
        by: apiKey,
        workspaceId: 'w',
        memberId: m.id,
        changes: { status: 'paused' as never },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await s.trail('w')).toHaveLength(3);
  });
});
