// Event types in PostgreSQL (server or PGlite), hosts in event_type_hosts in their order. A duplicate slug
// is refused by a unique index, not by a pre-check; an event type and its hosts are written in one transaction.
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { EventType, duplicateSlug, type EventTypeSnapshot } from '@domain/event-type/event-type.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { EventTypeRepository } from '@application/ports/event-type.repository.js';
import { toPage, type Page, type PageRequest } from '@application/shared/page.js';
import {
  EventTypeHostSchema,
  EventTypeSchema,
  type EventTypeHostRecord,
  type EventTypeRecord,
} from './schemas/availability.schema.js';
import { pagedOptions, pagedWhere } from './keyset-page.js';
import { isUuid } from '@domain/shared/validation.js';
import { fresh } from './sql.js';

export class MikroOrmEventTypeRepository extends EventTypeRepository {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async add(eventType: EventType): Promise<void> {
    const s = eventType.toSnapshot();
    await this.write(async (em) => {
      await em.insert(EventTypeSchema, toRecord(s));
      await em.insertMany(EventTypeHostSchema, hostRows(s));
    });
  }

  async findById(workspaceId: string, id: string): Promise<EventType | null> {
    if (!isUuid(id)) return null;
    const row = await this.em.findOne(EventTypeSchema, { id, workspaceId }, fresh);
    if (!row) return null;
    return (await this.withHosts([row]))[0].eventType;
  }

  async findBookable(id: string): Promise<EventType | null> {
    if (!isUuid(id)) return null;
    const row = await this.em.findOne(EventTypeSchema, { id, bookingPageEnabled: true }, fresh);
    if (!row) return null;
    return (await this.withHosts([row]))[0].eventType;
  }

  async list(workspaceId: string, page: PageRequest): Promise<Page<EventType>> {
    const rows = await this.em.find(EventTypeSchema, pagedWhere({ workspaceId }, page), pagedOptions(page));
    const eventTypes = await this.withHosts(rows);
    return toPage(eventTypes, page.limit, (e) => e.eventType);
  }

  async save(eventType: EventType): Promise<void> {
    const s = eventType.toSnapshot();
    await this.write(async (em) => {
      const { id, workspaceId, createdAt: _createdAt, ...rest } = toRecord(s);
      const changed = await em.nativeUpdate(EventTypeSchema, { id, workspaceId }, rest);
      if (changed === 0) return;
      await em.nativeDelete(EventTypeHostSchema, { eventTypeId: id });
      await em.insertMany(EventTypeHostSchema, hostRows(s));
    });
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.em.nativeDelete(EventTypeSchema, { id, workspaceId })) > 0;
  }

  private async write(work: (em: EntityManager) => Promise<void>): Promise<void> {
    try {
      await this.em.transactional((em) => work(em));
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException && /slug/.test(error.message)) {
        throw DomainError.validation([duplicateSlug]);
      }
      throw error;
    }
  }

  /** Reads the hosts of all rows in one query; keeps `createdAt`/`id` beside each for paging. */
  private async withHosts(rows: EventTypeRecord[]) {
    const hosts =
      rows.length === 0
        ? []
        : await this.em.find(
            EventTypeHostSchema,
            { eventTypeId: { $in: rows.map((r) => r.id) } },
            { ...fresh, orderBy: { eventTypeId: 'asc', position: 'asc' } },
          );
    const byEventType = new Map<string, string[]>();
    for (const host of hosts) {
      const list = byEventType.get(host.eventTypeId) ?? [];
      list.push(host.memberId);
      byEventType.set(host.eventTypeId, list);
    }
    return rows.map((row) => ({
      createdAt: row.createdAt,
      id: row.id,
      eventType: toDomain(row, byEventType.get(row.id) ?? []),
    }));
  }
}

function toRecord(s: EventTypeSnapshot): EventTypeRecord {
  return {
    id: s.id,
    workspaceId: s.workspaceId,
    slug: s.slug,
    title: s.title,
    durationMinutes: s.durationMinutes,
    slotIntervalMinutes: s.slotIntervalMinutes,
    locationKind: s.location.kind,
    locationValue: s.location.value,
    assignment: s.assignment,
    bookingPageEnabled: s.bookingPageEnabled,
    questions: s.questions,
    limitPerDay: s.limits.perDay,
    limitPerWeek: s.limits.perWeek,
    minimumGapMinutes: s.minimumGapMinutes,
    rooms: s.rooms,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

function hostRows(s: EventTypeSnapshot): EventTypeHostRecord[] {
  return s.hostIds.map((memberId, position) => ({
    eventTypeId: s.id,
    memberId,
    workspaceId: s.workspaceId,
    position,
  }));
}

function toDomain(row: EventTypeRecord, hostIds: string[]): EventType {
  return EventType.fromSnapshot({
    id: row.id,
    workspaceId: row.workspaceId,
    slug: row.slug,
    title: row.title,
    durationMinutes: row.durationMinutes,
    slotIntervalMinutes: row.slotIntervalMinutes,
    location: { kind: row.locationKind, value: row.locationValue } as EventTypeSnapshot['location'],
    hostIds,
    assignment: row.assignment as EventTypeSnapshot['assignment'],
    bookingPageEnabled: row.bookingPageEnabled,
    questions: (row.questions ?? []) as EventTypeSnapshot['questions'],
    limits: { perDay: row.limitPerDay, perWeek: row.limitPerWeek },
    minimumGapMinutes: row.minimumGapMinutes,
    rooms: (row.rooms ?? null) as EventTypeSnapshot['rooms'],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}
