// In-memory event types for fast tests of use cases; same rules as the database (unique slug per workspace).
import { EventType, duplicateSlug, type EventTypeSnapshot } from '@domain/event-type/event-type.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { type Page, type PageRequest } from '@application/shared/page.js';
import { pageOf } from './keyset-page.js';

export class InMemoryEventTypeRepository extends EventTypeRepository {
  private readonly rows = new Map<string, EventTypeSnapshot>();

  async add(eventType: EventType): Promise<void> {
    const snapshot = eventType.toSnapshot();
    if (this.rows.has(snapshot.id)) throw new Error(`duplicate event type ${snapshot.id}`);
    this.assertSlugFree(snapshot);
    this.rows.set(snapshot.id, snapshot);
  }

  async findById(workspaceId: string, id: string): Promise<EventType | null> {
    const row = this.rows.get(id);
    return row && row.workspaceId === workspaceId ? EventType.fromSnapshot(row) : null;
  }

  async findBookable(id: string): Promise<EventType | null> {
    const row = this.rows.get(id);
    return row?.bookingPageEnabled ? EventType.fromSnapshot(row) : null;
  }

  async list(workspaceId: string, page: PageRequest): Promise<Page<EventType>> {
    const rows = [...this.rows.values()].filter((r) => r.workspaceId === workspaceId);
    return pageOf(rows, page, (r) => EventType.fromSnapshot(r));
  }

  async save(eventType: EventType): Promise<void> {
    const snapshot = eventType.toSnapshot();
    const row = this.rows.get(snapshot.id);
    if (!row || row.workspaceId !== snapshot.workspaceId) return;
    this.assertSlugFree(snapshot);
    this.rows.set(snapshot.id, snapshot);
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.workspaceId !== workspaceId) return false;
    return this.rows.delete(id);
  }

  private assertSlugFree(snapshot: EventTypeSnapshot): void {
    const clash = [...this.rows.values()].some(
      (r) => r.workspaceId === snapshot.workspaceId && r.slug === snapshot.slug && r.id !== snapshot.id,
    );
    if (clash) throw DomainError.validation([duplicateSlug]);
  }
}
