// RecordMicrosoftFailure over in-memory fakes, for use-case tests that meet a Microsoft refusal: the parts a
// test looks at (connections, outbox, log…) are given, the rest are fresh fakes.
import { RecordMicrosoftFailure } from '@application/connection/record-microsoft-failure.use-case.js';
import { ConnectionViews } from '@application/connection/connection-views.js';
import type { Clock } from '@application/ports/clock.js';
import type { CalendarSubscriptionRepository } from '@application/ports/calendar-subscription.repository.js';
import type { MemberRepository } from '@application/ports/member.repository.js';
import type { MicrosoftConnectionRepository } from '@application/ports/microsoft-connection.repository.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { InMemoryAuditTrail } from '@adapters/in-memory/in-memory-audit-trail.js';
import { InMemoryDomainEventOutbox } from '@adapters/in-memory/in-memory-domain-event.outbox.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryTenantConsentRepository } from '@adapters/in-memory/in-memory-tenant-consent.repository.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { RecordingOperationalLog } from '@adapters/in-memory/recording-operational-log.js';
import { HmacConsentLinks } from '@adapters/microsoft/hmac-consent-links.js';

export function recordMicrosoftFailure(
  given: {
    connections?: MicrosoftConnectionRepository;
    members?: MemberRepository;
    outbox?: InMemoryDomainEventOutbox;
    clock?: Clock;
    log?: RecordingOperationalLog;
    subscriptions?: CalendarSubscriptionRepository;
  } = {},
): RecordMicrosoftFailure {
  const connections = given.connections ?? new InMemoryMicrosoftConnectionRepository();
  const clock = given.clock ?? new FixedClock('2026-12-01T08:00:00Z');
  const links = new HmacConsentLinks('https://kailenty.test', [Buffer.alloc(32, 1)]);
  return new RecordMicrosoftFailure(
    connections,
    new InMemoryTenantConsentRepository(),
    given.members ?? new InMemoryMemberRepository(),
    given.outbox ?? new InMemoryDomainEventOutbox(),
    new ConnectionViews(connections, new InMemoryWorkspaceRepository(), links, clock),
    clock,
    new InMemoryUnitOfWork(),
    new InMemoryAuditTrail(),
    given.log ?? new RecordingOperationalLog(),
    given.subscriptions,
  );
}
