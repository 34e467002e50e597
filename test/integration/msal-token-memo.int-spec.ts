// The access tokens MsalTokenProvider keeps in process, with the real msal-node against the emulator and
// two service instances sharing one store: a kept token saves the MSAL client and the sealed cache reads,
// never the connection check, so what one instance records is seen by the other on its next call.
import { InMemoryMemberAccessReadModel } from '@adapters/in-memory/in-memory-member-access.read-model.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { MsalClients, MsalTokenProvider } from '@adapters/microsoft/entra/msal-entra.js';
import type { VaultKey } from '@adapters/microsoft/entra/token-vault.js';
import { InMemoryTokenVault } from '@adapters/in-memory/in-memory-token-vault.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryTenantConsentRepository } from '@adapters/in-memory/in-memory-tenant-consent.repository.js';
import { connect, emulatorSettings, msalFor } from '../emulator/helpers.js';

class CountingVault extends InMemoryTokenVault {
  loads = 0;
  override async load(key: VaultKey): Promise<string | null> {
    this.loads += 1;
    return super.load(key);
  }
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ demo: { redirectUris: ['http://localhost:3000/oauth/microsoft/callback'] } });
});
afterAll(() => emu.close());

async function setUp() {
  const vault = new CountingVault();
  const connections = new InMemoryMicrosoftConnectionRepository();
  const consents = new InMemoryTenantConsentRepository();
  const cca = msalFor(emu, DEMO.clientId, DEMO.clientSecret);
  const { account } = await connect(emu, cca, DEMO.users.megan.mail);
  const key = { workspaceId: 'w', memberId: 'm', homeAccountId: account.homeAccountId };
  await vault.save(key, cca.getTokenCache().serialize());
  const connected = {
    userId: account.localAccountId,
    tenantId: account.tenantId,
    homeAccountId: account.homeAccountId,
    mailbox: DEMO.users.megan.mail,
    timeZone: null,
    teamsEnabled: false,
  };
  const connection = MicrosoftConnection.connect({
    workspaceId: 'w',
    memberId: 'm',
    account: connected,
    now: new Date(),
  });
  await connections.save(connection);
  const instance = () =>
    new MsalTokenProvider(
      new MsalClients(emulatorSettings(emu)),
      vault,
      new InMemoryMemberAccessReadModel(connections, consents),
    );
  return { vault, connections, connection, connected, a: instance(), b: instance() };
}

describe('MsalTokenProvider keeps access tokens in process', () => {
  it('answers a second call without opening the sealed cache; forceRefresh asks MSAL again', async () => {
    const { vault, a } = await setUp();
    const first = await a.accessToken('w', 'm');
    const loads = vault.loads;
    expect(loads).toBeGreaterThan(0);
    expect(await a.accessToken('w', 'm')).toBe(first);
    expect(vault.loads).toBe(loads);
    const refreshed = await a.accessToken('w', 'm', { forceRefresh: true });
    expect(refreshed).not.toBe(first);
    expect(vault.loads).toBeGreaterThan(loads);
    expect(await a.accessToken('w', 'm')).toBe(refreshed);
  });

  it('a revocation recorded by another instance is refused on the next call, token kept or not', async () => {
    const { connections, connection, a, b } = await setUp();
    await b.accessToken('w', 'm');
    connection.markFailed('revoked', 'AADSTS50173', new Date());
    await connections.save(connection);
    await expect(a.accessToken('w', 'm')).rejects.toMatchObject({ code: 'CONSENT_REVOKED' });
    await expect(b.accessToken('w', 'm')).rejects.toMatchObject({ code: 'CONSENT_REVOKED' });
  });

  it('a sign-in again recorded by another instance drops the kept token', async () => {
    const { vault, connections, connection, connected, b } = await setUp();
    await b.accessToken('w', 'm');
    const loads = vault.loads;
    connection.signedInAgain(connected, new Date(Date.now() + 1_000));
    await connections.save(connection);
    await b.accessToken('w', 'm');
    expect(vault.loads).toBeGreaterThan(loads);
  });
});
