// The demo tenant sandbox mode and tests start from: Contoso (user consent allowed) with people with and
// without Teams, a room and a shared mailbox, realistic busy weeks; and Fabrikam (admin consent required).
import type { EmulatorControl } from './control.js';
import { epochToZoned } from './time-zones.js';

export const DEMO = {
  tenantId: '6c1f3a52-9d0e-4b7a-8f21-3e5d7c9b1a40',
  tenantDomain: 'contoso.com',
  otherTenantId: 'a4e2b9c7-1f3d-4e8a-9b6c-5d7f2e1a3c80',
  otherTenantDomain: 'fabrikam.com',
  clientId: '5e3b8f21-7c4d-4a9e-b1f6-2d8c0a7e9b13',
  clientSecret: 'emulator-demo-secret~kailenty',
  users: {
    adele: { id: '1f2e3d4c-5b6a-4789-8abc-def012345601', mail: 'adele.vance@contoso.com' },
    megan: { id: '1f2e3d4c-5b6a-4789-8abc-def012345602', mail: 'megan.bowen@contoso.com' },
    alex: { id: '1f2e3d4c-5b6a-4789-8abc-def012345603', mail: 'alex.wilber@contoso.com' },
    diego: { id: '1f2e3d4c-5b6a-4789-8abc-def012345604', mail: 'diego.siciliani@contoso.com' },
    room: { id: '1f2e3d4c-5b6a-4789-8abc-def012345605', mail: 'rainier@contoso.com' },
    shared: { id: '1f2e3d4c-5b6a-4789-8abc-def012345606', mail: 'sales.bookings@contoso.com' },
    frank: { id: '2a3b4c5d-6e7f-4801-9abc-def012345611', mail: 'frank.miller@fabrikam.com' },
  },
} as const;

export interface DemoSeedOptions {
  /** The app's redirect URIs (member callback and admin-consent callback of the service). */
  redirectUris?: string[];
  clientId?: string;
  clientSecret?: string;
  /** Busy items from this day on (default: today, UTC). */
  from?: Date;
  weeks?: number;
  /** Grant Contoso's tenant-wide admin consent up front (default false: members consent themselves). */
  adminConsent?: boolean;
  scopes?: string[];
}

export type DemoSeed = typeof DEMO & { redirectUris: string[] };

/** Small deterministic PRNG: the demo calendar is the same on every run. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFAULT_REDIRECT_URIS = [
  'http://localhost:3000/oauth/microsoft/callback',
  'http://localhost:3000/oauth/microsoft/admin-consent/callback',
];

/**
 * The demo seed of a Microsoft 365 restored from its state file: nothing is seeded again (people's
 * changes stay), the app only gains the redirect URIs asked for (the service may listen elsewhere now).
 */
export function resumeDemo(control: EmulatorControl, options: DemoSeedOptions = {}): DemoSeed {
  const clientId = options.clientId ?? DEMO.clientId;
  const clientSecret = options.clientSecret ?? DEMO.clientSecret;
  const wanted = options.redirectUris ?? DEFAULT_REDIRECT_URIS;
  const app = control.app(clientId);
  if (!app) {
    control.registerApp({ clientId, clientSecret, redirectUris: wanted, displayName: 'kailenty (sandbox)' });
  } else {
    control.updateApp(clientId, { redirectUris: [...new Set([...app.redirectUris, ...wanted])] });
  }
  const redirectUris = control.app(clientId)!.redirectUris;
  return { ...DEMO, clientId, clientSecret: control.app(clientId)!.clientSecret, redirectUris } as DemoSeed;
}

export async function seedDemo(control: EmulatorControl, options: DemoSeedOptions = {}): Promise<DemoSeed> {
  const redirectUris = options.redirectUris ?? DEFAULT_REDIRECT_URIS;
  control.addTenant({
    id: DEMO.tenantId,
    name: 'Contoso',
    domain: DEMO.tenantDomain,
    userConsent: 'allowed',
  });
  control.addTenant({
    id: DEMO.otherTenantId,
    name: 'Fabrikam',
    domain: DEMO.otherTenantDomain,
    userConsent: 'admin_required',
  });
  control.registerApp({
    clientId: options.clientId ?? DEMO.clientId,
    clientSecret: options.clientSecret ?? DEMO.clientSecret,
    redirectUris,
    displayName: 'kailenty (sandbox)',
  });
  const u = DEMO.users;
  const people = [
    control.addUser({
      ...u.adele,
      tenantId: DEMO.tenantId,
      displayName: 'Adele Vance',
      timeZone: 'Pacific Standard Time',
      teamsLicence: true,
      isAdmin: true,
    }),
    control.addUser({
      ...u.megan,
      tenantId: DEMO.tenantId,
      displayName: 'Megan Bowen',
      timeZone: 'W. Europe Standard Time',
      teamsLicence: true,
    }),
    control.addUser({
      ...u.alex,
      tenantId: DEMO.tenantId,
      displayName: 'Alex Wilber',
      timeZone: 'Eastern Standard Time',
      teamsLicence: false,
    }),
    control.addUser({
      ...u.diego,
      tenantId: DEMO.tenantId,
      displayName: 'Diego Siciliani',
      timeZone: 'GMT Standard Time',
      teamsLicence: true,
      disabled: true,
    }),
  ];
  const room = control.addUser({
    ...u.room,
    tenantId: DEMO.tenantId,
    displayName: 'Conf Room Rainier',
    timeZone: 'Pacific Standard Time',
    kind: 'room',
    teamsLicence: false,
  });
  control.addUser({
    ...u.shared,
    tenantId: DEMO.tenantId,
    displayName: 'Sales bookings',
    timeZone: 'W. Europe Standard Time',
    kind: 'shared',
    teamsLicence: false,
  });
  control.addUser({
    ...u.frank,
    tenantId: DEMO.otherTenantId,
    displayName: 'Frank Miller',
    timeZone: 'Central Standard Time',
    teamsLicence: true,
    isAdmin: true,
  });
  if (options.adminConsent) {
    control.grantAdminConsent(DEMO.tenantId, {
      scopes: options.scopes ?? ['User.Read', 'MailboxSettings.Read', 'Calendars.ReadWrite'],
      grantedBy: u.adele.id,
    });
  }

  const rand = mulberry32(20261201);
  const from = options.from ?? new Date();
  const day0 = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const weeks = options.weeks ?? 4;
  const subjects = [
    'Project sync',
    'Customer call',
    '1:1',
    'Design review',
    'Focus time',
    'Interview',
    'Budget review',
    'Lunch',
  ];
  const statuses = ['busy', 'busy', 'busy', 'tentative', 'free', 'workingElsewhere'] as const;

  for (const person of people.filter((p) => !p.disabled)) {
    // A weekly stand-up, Monday to Friday 09:30–09:45 in the person's zone: expanded by getSchedule.
    const firstDate = new Date(day0).toISOString().slice(0, 10);
    await control.addEvent({
      userId: person.id,
      subject: 'Team stand-up',
      start: { dateTime: `${firstDate}T09:30:00`, timeZone: person.timeZone },
      end: { dateTime: `${firstDate}T09:45:00`, timeZone: person.timeZone },
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
          firstDayOfWeek: 'sunday',
        },
        range: { type: 'noEnd', startDate: firstDate, recurrenceTimeZone: person.timeZone },
      },
      isOnlineMeeting: person.teamsLicence,
      notify: false,
    });
    for (let d = 0; d < weeks * 7; d++) {
      const dayMs = day0 + d * 86400_000;
      const date = new Date(dayMs).toISOString().slice(0, 10);
      const weekday = new Date(dayMs).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      const count = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < count; i++) {
        const startHour = 10 + Math.floor(rand() * 7);
        const half = rand() < 0.5 ? '00' : '30';
        const length = [30, 60, 60, 90][Math.floor(rand() * 4)];
        const start = `${date}T${String(startHour).padStart(2, '0')}:${half}:00`;
        const endMs = Date.parse(`${start}Z`) + length * 60_000;
        const end = epochToZoned(endMs, 'UTC').slice(0, 19);
        await control.addEvent({
          userId: person.id,
          subject: subjects[Math.floor(rand() * subjects.length)],
          start: { dateTime: start, timeZone: person.timeZone },
          end: { dateTime: end, timeZone: person.timeZone },
          showAs: statuses[Math.floor(rand() * statuses.length)],
          sensitivity: rand() < 0.15 ? 'private' : 'normal',
          location: rand() < 0.3 ? room.displayName : '',
          notify: false,
        });
      }
    }
    // A day out of office in the second week, as an all-day event in the person's zone.
    const oofDate = new Date(day0 + (8 + people.indexOf(person)) * 86400_000).toISOString().slice(0, 10);
    const nextDate = new Date(Date.parse(`${oofDate}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
    await control.addEvent({
      userId: person.id,
      subject: 'Out of office',
      start: { dateTime: `${oofDate}T00:00:00`, timeZone: person.timeZone },
      end: { dateTime: `${nextDate}T00:00:00`, timeZone: person.timeZone },
      isAllDay: true,
      showAs: 'oof',
      notify: false,
    });
  }
  // The room is booked most mornings.
  for (let d = 0; d < weeks * 7; d++) {
    const dayMs = day0 + d * 86400_000;
    const weekday = new Date(dayMs).getUTCDay();
    if (weekday === 0 || weekday === 6 || rand() < 0.3) continue;
    const date = new Date(dayMs).toISOString().slice(0, 10);
    await control.addEvent({
      userId: room.id,
      subject: 'Booked',
      start: { dateTime: `${date}T10:00:00`, timeZone: room.timeZone },
      end: { dateTime: `${date}T11:30:00`, timeZone: room.timeZone },
      notify: false,
    });
  }
  return {
    ...DEMO,
    clientId: options.clientId ?? DEMO.clientId,
    clientSecret: options.clientSecret ?? DEMO.clientSecret,
    redirectUris,
  } as DemoSeed;
}
