// The refusal contract on the real Graph free/busy adapter (GraphClients: graph-client's middleware, one
// forced token refresh on a 401) against the emulator over HTTPS: a user whose sessions Microsoft revoked,
// and getSchedule failing with 503 past the retries.
import { randomUUID } from 'node:crypto';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { MicrosoftTokenProvider } from '@application/ports/microsoft-token-provider.js';
import { GraphClients } from '@adapters/microsoft/graph/graph-clients.js';
import { GraphFreeBusyGateway } from '@adapters/microsoft/graph/graph-free-busy.gateway.js';
import { connect, emulatorSettings, msalFor, REDIRECT } from '../emulator/helpers.js';
import { microsoftRefusalsContract } from '../contract/microsoft-refusals.contract.js';

const FROM = Date.parse('2026-12-01T00:00:00Z');
const PATH = '/v1.0/me/calendar/getSchedule';

let emu: Emulator;
/** Each member's access token, as the token provider would hand it out (kept, never refreshed here). */
const tokens = new Map<string, string>();
/** Emulator user ids by member. */
const users = new Map<string, string>();

class KeptTokens extends MicrosoftTokenProvider {
  async accessToken(_workspaceId: string, memberId: string): Promise<string> {
    return tokens.get(memberId)!;
  }
}

beforeAll(async () => {
  emu = await startEmulator({ demo: { redirectUris: [REDIRECT], from: new Date(FROM), weeks: 1 } });
});
afterAll(() => emu.close());

microsoftRefusalsContract('Graph adapter against the emulator', async () => {
  emu.control.clearFaults();
  const clients = new GraphClients(emulatorSettings(emu), new KeptTokens(), {
    maxRetries: 1,
    delaySeconds: 0,
  });
  return {
    gateway: new GraphFreeBusyGateway(clients),
    member: async () => {
      const memberId = randomUUID();
      const mail = `m-${memberId.slice(0, 8)}@contoso.com`;
      const user = emu.control.addUser({ tenantId: DEMO.tenantId, mail, displayName: `Member ${memberId}` });
      const { accessToken } = await connect(emu, msalFor(emu, DEMO.clientId, DEMO.clientSecret), mail);
      tokens.set(memberId, accessToken);
      users.set(memberId, user.id);
      return {
        workspaceId: randomUUID(),
        memberId,
        mailbox: mail,
        extraCalendars: [],
        start: FROM,
        end: FROM + 7 * 24 * 3600_000,
      };
    },
    revoke: async (request) => emu.control.revokeSessions(users.get(request.memberId)!),
    outage: async () =>
      void emu.control.injectFault({
        match: { method: 'POST', pathPrefix: PATH },
        status: 503,
        retryAfter: 0,
        times: Infinity,
      }),
  };
});
