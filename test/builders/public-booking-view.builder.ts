// Object mother for the public view of a booking (what the pages and the .ics are made from).
import type { PublicBookingView } from '@application/booking-page/public-booking-view.js';

export function aView(overrides: Partial<PublicBookingView> = {}): PublicBookingView {
  return {
    id: '2b7c1f3e-4d5a-4b6c-8d7e-9f0a1b2c3d4e',
    eventTypeId: '0e1d2c3b-4a59-4687-9a6b-5c4d3e2f1a0b',
    start: '2027-03-28T00:30:00Z',
    end: '2027-03-28T01:30:00Z',
    status: 'confirmed',
    title: 'Intro call; pricing, plans \\ more',
    location: {
      kind: 'teams',
      joinUrl: 'https://teams.example.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=x',
    },
    room: null,
    hostNames: ['Adele Vance'],
    guest: { name: 'Jordan Lee', email: 'jordan@example.com', timeZone: 'Europe/Paris' },
    note: null,
    answers: [],
    warnings: [],
    manageUrl: 'https://kailenty.example.com/manage/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    icsUrl:
      'https://kailenty.example.com/v1/public/manage/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/booking.ics',
    ...overrides,
  };
}
