// Hosts of an event type must be members of its workspace; checked before anything is written.
import { DomainError } from '@domain/shared/domain-error.js';
import type { EventType } from '@domain/event-type/event-type.js';
import { MemberRepository } from '../ports/member.repository.js';

export async function assertHostsAreMembers(members: MemberRepository, eventType: EventType): Promise<void> {
  const found = new Set(
    (await members.findByIds(eventType.workspaceId, [...eventType.hostIds])).map((m) => m.id),
  );
  const missing = eventType.hostIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw DomainError.validation([
      { field: 'hostIds', message: `not members of this workspace: ${missing.join(', ')}` },
    ]);
  }
}
