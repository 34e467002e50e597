// Where event types are kept; every method is scoped to a workspace, and slugs are unique within one.
import type { EventType } from '@domain/event-type/event-type.js';
import type { Page, PageRequest } from '../shared/page.js';

export abstract class EventTypeRepository {
  /** Throws VALIDATION_FAILED on `slug` when the workspace already has that slug. */
  abstract add(eventType: EventType): Promise<void>;
  abstract findById(workspaceId: string, id: string): Promise<EventType | null>;
  /**
   * An event type whose booking page is enabled, whatever its workspace: the public pages know only its id.
   * Null when there is none or its page is off.
   */
  abstract findBookable(id: string): Promise<EventType | null>;
  /** Oldest first, paged over (createdAt, id). */
  abstract list(workspaceId: string, page: PageRequest): Promise<Page<EventType>>;
  /** Replaces the stored event type (hosts included); VALIDATION_FAILED on `slug` for a clash. */
  abstract save(eventType: EventType): Promise<void>;
  /** False when there was nothing to delete. */
  abstract delete(workspaceId: string, id: string): Promise<boolean>;
}
