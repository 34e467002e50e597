// Object mothers for members and workspaces.
import { randomUUID } from 'node:crypto';
import { Member, type MemberRole } from '@domain/member/member.js';
import { Workspace } from '@domain/workspace/workspace.js';

let n = 0;

export function aWorkspace(
  overrides: Partial<{ id: string; name: string; returnUrl: string | null; now: Date }> = {},
) {
  return Workspace.create({
    id: randomUUID(),
    name: 'Contoso Scheduling',
    returnUrl: 'https://app.contoso.test/return',
    now: new Date('2026-12-01T08:00:00Z'),
    ...overrides,
  });
}

export function aMember(
  overrides: Partial<{
    id: string;
    workspaceId: string;
    email: string;
    displayName: string;
    role: MemberRole;
    now: Date;
  }> = {},
): Member {
  n += 1;
  return Member.invite({
    id: randomUUID(),
    workspaceId: randomUUID(),
    email: `person${n}@contoso.com`,
    displayName: `Person ${n}`,
    role: 'member',
    now: new Date(Date.UTC(2026, 11, 1, 8, 0, n)),
    ...overrides,
  });
}
