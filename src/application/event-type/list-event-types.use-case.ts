// Lists a workspace's event types, a page at a time, with their warnings.
import { EventTypeRepository } from '../ports/event-type.repository.js';
import type { Page, PageRequest } from '../shared/page.js';
import { EventTypeWarnings, type EventTypeWithWarnings } from './event-type-warnings.js';

export class ListEventTypes {
  constructor(
    private readonly eventTypes: EventTypeRepository,
    private readonly warnings: EventTypeWarnings,
  ) {}

  async execute(input: { workspaceId: string; page: PageRequest }): Promise<Page<EventTypeWithWarnings>> {
    const page = await this.eventTypes.list(input.workspaceId, input.page);
    return { data: await this.warnings.many(input.workspaceId, page.data), nextCursor: page.nextCursor };
  }
}
