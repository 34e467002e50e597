// What a guest may see of an event type without an API key, and only while its booking page is enabled:
// the event type, its hosts' display names (never their e-mail addresses) and the workspace's name.
import type { EventType } from '@domain/event-type/event-type.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { EventTypeRepository } from '../ports/event-type.repository.js';
import { MemberRepository } from '../ports/member.repository.js';
import { WorkspaceRepository } from '../ports/workspace.repository.js';

export interface BookingPage {
  eventType: EventType;
  hostNames: string[];
  workspaceName: string;
}

export class GetBookingPage {
  constructor(
    private readonly eventTypes: EventTypeRepository,
    private readonly members: MemberRepository,
    private readonly workspaces: WorkspaceRepository,
  ) {}

  async execute(input: { eventTypeId: string }): Promise<BookingPage> {
    const eventType = await this.eventTypes.findBookable(input.eventTypeId);
    // An event type whose page is off is as unknown as one that does not exist.
    const workspace = eventType && (await this.workspaces.findById(eventType.workspaceId));
    if (!eventType || !workspace) throw DomainError.notFound('Booking page');
    const hosts = await this.members.findByIds(eventType.workspaceId, [...eventType.hostIds]);
    const names = new Map(hosts.map((m) => [m.id, m.toSnapshot().displayName]));
    return {
      eventType,
      hostNames: eventType.hostIds.flatMap((id) => names.get(id) ?? []),
      workspaceName: workspace.name,
    };
  }
}
