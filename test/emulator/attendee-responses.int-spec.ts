// People answering a meeting from their copy, as Graph's accept / tentativelyAccept / decline do, seen through
// the real Graph client: the organizer's event shows the answer in `attendees[].status.response` under a new
// change key; a decline takes the meeting out of the attendee's calendar; the control surface answers the same way.
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { connect, graphClient, msalFor, REDIRECT } from './helpers.js';

let emu: Emulator;
let megan: Client;
let adele: Client;

const at = (hhmm: string) => ({ dateTime: `2026-12-10T${hhmm}:00`, timeZone: 'UTC' });

beforeAll(async () => {
  emu = await startEmulator({
    demo: { redirectUris: [REDIRECT], from: new Date('2026-12-01T00:00:00Z'), weeks: 2 },
  });
  const cca = msalFor(emu, DEMO.clientId, DEMO.clientSecret);
  const meganToken = (await connect(emu, cca, DEMO.users.megan.mail)).accessToken;
  const adeleToken = (await connect(emu, cca, DEMO.users.adele.mail)).accessToken;
  megan = graphClient(emu, async () => meganToken);
  adele = graphClient(emu, async () => adeleToken);
});
afterAll(() => emu.close());

let slot = 0;
/** A meeting Megan organises with Adele and Alex, each day at a new hour. */
async function meeting() {
  slot += 1;
  const hh = String(6 + slot).padStart(2, '0');
  return megan.api('/me/events').post({
    subject: 'Team intro',
    start: at(`${hh}:00`),
    end: at(`${hh}:30`),
    attendees: [DEMO.users.adele.mail, DEMO.users.alex.mail].map((address) => ({
      emailAddress: { address },
      type: 'required',
    })),
  });
}

const adeleCopy = async (organizerEvent: { iCalUId: string }) =>
  (await adele.api('/me/events').filter(`iCalUId eq '${organizerEvent.iCalUId}'`).get()).value[0] as
    { id: string; showAs: string; responseStatus: { response: string } } | undefined;

const answers = (event: {
  attendees: { emailAddress: { address: string }; status: { response: string } }[];
}) => event.attendees.map((a) => [a.emailAddress.address, a.status.response]);

describe('attendees answering a meeting', () => {
  it('a decline shows on the organizer’s event under a new change key and leaves the attendee’s calendar', async () => {
    const created = await meeting();
    const copy = await adeleCopy(created);
    expect(copy).toMatchObject({ showAs: 'tentative', responseStatus: { response: 'notResponded' } });

    await adele.api(`/me/events/${copy!.id}/decline`).post({ comment: 'away', sendResponse: true });
    const event = await megan.api(`/me/events/${created.id}`).get();
    expect(answers(event)).toEqual([
      [DEMO.users.adele.mail, 'declined'],
      [DEMO.users.alex.mail, 'none'],
    ]);
    expect(event['@odata.etag']).not.toBe(created['@odata.etag']);
    expect(await adeleCopy(created)).toBeUndefined();

    // A PATCH that keeps the attendees keeps the answer; a new time asks them again.
    await megan.api(`/me/events/${created.id}`).patch({ subject: 'Team intro (agenda)' });
    expect(answers(await megan.api(`/me/events/${created.id}`).get())[0]).toEqual([
      DEMO.users.adele.mail,
      'declined',
    ]);
    expect(await adeleCopy(created)).toBeUndefined();
    await megan.api(`/me/events/${created.id}`).patch({ start: at('18:00'), end: at('18:30') });
    expect(answers(await megan.api(`/me/events/${created.id}`).get())[0]).toEqual([
      DEMO.users.adele.mail,
      'none',
    ]);
    expect(await adeleCopy(created)).toBeDefined();
  });

  it('an accept shows on the organizer’s event and keeps the meeting busy; without sendResponse nothing is told', async () => {
    const created = await meeting();
    const copy = await adeleCopy(created);
    await adele.api(`/me/events/${copy!.id}/accept`).post({ sendResponse: false });
    expect(answers(await megan.api(`/me/events/${created.id}`).get())[0]).toEqual([
      DEMO.users.adele.mail,
      'none',
    ]);
    expect(await adeleCopy(created)).toMatchObject({
      showAs: 'busy',
      responseStatus: { response: 'accepted' },
    });

    await adele.api(`/me/events/${copy!.id}/tentativelyAccept`).post({});
    expect(answers(await megan.api(`/me/events/${created.id}`).get())[0]).toEqual([
      DEMO.users.adele.mail,
      'tentativelyAccepted',
    ]);
  });

  it('the organizer cannot answer their own meeting', async () => {
    const created = await meeting();
    await expect(megan.api(`/me/events/${created.id}/decline`).post({})).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('the control surface answers for an attendee, by the organizer’s event id', async () => {
    const created = await meeting();
    await emu.control.respondToEvent(created.id, DEMO.users.alex.mail, 'declined');
    expect(answers(await megan.api(`/me/events/${created.id}`).get())[1]).toEqual([
      DEMO.users.alex.mail,
      'declined',
    ]);
    await expect(emu.control.respondToEvent(created.id, DEMO.users.diego.mail, 'declined')).rejects.toThrow(
      /no invitation/,
    );
  });
});
