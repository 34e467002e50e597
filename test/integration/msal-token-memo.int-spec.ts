// The access tokens MsalTokenProvider keeps in process, with the real msal-node against the emulator and
// two service instances sharing one store: a kept token saves the MSAL client and the sealed cache reads,
// never the connection check, so what one instance records is seen by the other on its next call (within a
// unit of work, one booking request, the connection is read once: the next unit sees what was recorded).
import { InMemoryMemberAccessReadModel } from '@adapters/in-memory/in-memory-member-access.read-model.js';
import { startEmulator, type Emulator } from '../../emulator/emulator.js';
import { DEMO } from '../../emulator/seed.js';
import { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { MsalClients, MsalTokenProvider } from '@adapters/microsoft/entra/msal-entra.js';
import type { VaultKey } from '@adapters/microsoft/entra/token-vault.js';
import { InMemoryTokenVault } from '@adapters/in-memory/in-memory-token-vault.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryTenantConsentRepository } from '@adapters/in-memory/in-memory-tenant-consent.repository.js';
import { MicrosoftRefusal } from '@application/ports/microsoft-refusal.js';
import { connect, emulatorSettings, msalFor } from '../emulator/helpers.js';

class CountingVault extends InMemoryTokenVault {
  loads = 0;
  override async load(key: VaultKey): Promise<string | null> {
    this.loads += 1;
    return super.load(key);
  }
}

class CountingConnections extends InMemoryMicrosoftConnectionRepository {
  reads = 0;
  override async findByMember(workspaceId: string, memberId: string) {
    this.reads += 1;
    return super.findByMember(workspaceId, memberId);
  }
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ demo: { redirectUris: ['http://localhost:3000/oauth/microsoft/callback'] } });
});
afterAll(() => emu.close());

async function setUp() {
  const vault = new CountingVault();
  const connections = new CountingConnections();
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
  const instance = () => {
    const access = new InMemoryMemberAccessReadModel(connections, consents);
    const tokens = new MsalTokenProvider(new MsalClients(emulatorSettings(emu)), vault, access);
    return Object.assign(tokens, { oncePerUnit: <T>(work: () => Promise<T>) => access.oncePerUnit(work) });
  };
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

  it('within a unit of work reads the connection once; a forced refresh reads it again; the next unit sees a revocation', async () => {
    const { connections, connection, a, b } = await setUp();
    const reads = connections.reads;
    const first = await a.oncePerUnit(async () => {
      const token = await a.accessToken('w', 'm');
      expect(await a.accessToken('w', 'm')).toBe(token);
      expect(connections.reads - reads).toBe(1);
      // Another instance records a revocation: this unit keeps what it read, until Graph asks for a new token.
      connection.markFailed('revoked', 'AADSTS50173', new Date());
      await connections.save(connection);
      expect(await a.accessToken('w', 'm')).toBe(token);
      expect(connections.reads - reads).toBe(1);
      await expect(a.accessToken('w', 'm', { forceRefresh: true })).rejects.toMatchObject({
        code: 'CONSENT_REVOKED',
      });
      expect(connections.reads - reads).toBe(2);
      return token;
    });
    expect(first).toEqual(expect.any(String));
    await expect(a.oncePerUnit(() => a.accessToken('w', 'm'))).rejects.toMatchObject({
      code: 'CONSENT_REVOKED',
    });
    await expect(b.accessToken('w', 'm')).rejects.toMatchObject({ code: 'CONSENT_REVOKED' });
    expect(connections.reads - reads).toBe(4);
  });

  it('within a unit of work, a refusal met for a token makes the next call read what the caller recorded', async () => {
    const { connections, connection, a } = await setUp();
    await a.oncePerUnit(async () => {
      await a.accessToken('w', 'm');
      emu.control.refuseRefreshTokens(DEMO.users.megan.id, 70008);
      await expect(a.accessToken('w', 'm', { forceRefresh: true })).rejects.toBeInstanceOf(MicrosoftRefusal);
      // What the use case that met the refusal records (RecordMicrosoftFailure).
      connection.markFailed('revoked', 'AADSTS70008', new Date());
      await connections.save(connection);
      // MSAL's cache still holds a valid access token: only the connection read can refuse it.
      await expect(a.accessToken('w', 'm')).rejects.toMatchObject({ code: 'CONSENT_REVOKED' });
    });
  });
});
