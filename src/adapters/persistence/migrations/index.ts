// The checked-in migrations, in order. Listed here (not discovered by glob) so they work from src and dist alike.
import { Migration0001Foundation } from './migration-0001-foundation.js';
import { Migration0002Idempotency } from './migration-0002-idempotency.js';
import { Migration0003MicrosoftConnections } from './migration-0003-microsoft-connections.js';
import { Migration0004Availability } from './migration-0004-availability.js';
import { Migration0005CalendarVersions } from './migration-0005-calendar-versions.js';
import { Migration0006Webhooks } from './migration-0006-webhooks.js';
import { Migration0007Bookings } from './migration-0007-bookings.js';
import { Migration0008ChangeNotifications } from './migration-0008-change-notifications.js';
import { Migration0009IdempotencySealed } from './migration-0009-idempotency-sealed.js';
import { Migration0010WebhookAttemptLog } from './migration-0010-webhook-attempt-log.js';
import { Migration0011ConnectionWindowsTimeZone } from './migration-0011-connection-windows-time-zone.js';
import { Migration0012AuditEvents } from './migration-0012-audit-events.js';
import { Migration0013RateLimitCounters } from './migration-0013-rate-limit-counters.js';
import { Migration0014AuthorizationStateTenant } from './migration-0014-authorization-state-tenant.js';
import { Migration0015SealedKeyIndexes } from './migration-0015-sealed-key-indexes.js';
import { Migration0016IdempotencyLeases } from './migration-0016-idempotency-leases.js';
import { Migration0017ConnectionWorkingHours } from './migration-0017-connection-working-hours.js';
import { Migration0019BookingPages } from './migration-0019-booking-pages.js';
import { Migration0020BookingEventOrder } from './migration-0020-booking-event-order.js';
import { Migration0023HotPathIndexes } from './migration-0023-hot-path-indexes.js';
import { Migration0024LifecycleWords } from './migration-0024-lifecycle-words.js';
import { Migration0025BookingQuestions } from './migration-0025-booking-questions.js';

export const migrationsList = [
  { name: '0001-foundation', class: Migration0001Foundation },
  { name: '0002-idempotency', class: Migration0002Idempotency },
  { name: '0003-microsoft-connections', class: Migration0003MicrosoftConnections },
  { name: '0004-availability', class: Migration0004Availability },
  { name: '0005-calendar-versions', class: Migration0005CalendarVersions },
  { name: '0006-webhooks', class: Migration0006Webhooks },
  { name: '0007-bookings', class: Migration0007Bookings },
  { name: '0008-change-notifications', class: Migration0008ChangeNotifications },
  { name: '0009-idempotency-sealed', class: Migration0009IdempotencySealed },
  { name: '0010-webhook-attempt-log', class: Migration0010WebhookAttemptLog },
  { name: '0011-connection-windows-time-zone', class: Migration0011ConnectionWindowsTimeZone },
  { name: '0012-audit-events', class: Migration0012AuditEvents },
  { name: '0013-rate-limit-counters', class: Migration0013RateLimitCounters },
  { name: '0014-authorization-state-tenant', class: Migration0014AuthorizationStateTenant },
  { name: '0015-sealed-key-indexes', class: Migration0015SealedKeyIndexes },
  { name: '0016-idempotency-leases', class: Migration0016IdempotencyLeases },
  { name: '0017-connection-working-hours', class: Migration0017ConnectionWorkingHours },
  { name: '0019-booking-pages', class: Migration0019BookingPages },
  { name: '0020-booking-event-order', class: Migration0020BookingEventOrder },
  { name: '0023-hot-path-indexes', class: Migration0023HotPathIndexes },
  { name: '0024-lifecycle-words', class: Migration0024LifecycleWords },
  { name: '0025-booking-questions', class: Migration0025BookingQuestions },
];
