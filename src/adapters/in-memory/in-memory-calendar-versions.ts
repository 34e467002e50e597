// In-memory calendar change counters.
import { CalendarVersions } from '@application/ports/calendar-versions.js';

export class InMemoryCalendarVersions extends CalendarVersions {
  private readonly versions = new Map<string, number>();

  async current(workspaceId: string, memberIds: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const id of memberIds) {
      const v = this.versions.get(`${workspaceId}/${id}`);
      if (v !== undefined) found.set(id, v);
    }
    return found;
  }

  async bump(workspaceId: string, memberId: string): Promise<void> {
    const key = `${workspaceId}/${memberId}`;
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
  }
}
