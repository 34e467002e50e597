// Where browser flows end when no return URL is set (in-memory fakes): the member callback, the reconnect
// link and admin consent send the browser to kailenty's result pages through signed short-lived links, and
// the pages' use cases read back only what the service decided; with a return URL nothing changes.
import type { SignedInAccount } from '@application/ports/identity-provider.js';
import { MicrosoftError } from '@application/ports/identity-provider.js';
import { microsoftError, redirectError } from '@adapters/microsoft/microsoft-failure-classifier.js';
import { ConnectionListener } from '@application/ports/connection.listener.js';
import { RESULT_LINK_TTL_MS } from '@application/ports/consent-links.js';
import { StartMicrosoftConnection } from '@application/connection/start-microsoft-connection.use-case.js';
import { CompleteMicrosoftConnection } from '@application/connection/complete-microsoft-connection.use-case.js';
import { GetConnectionResult } from '@application/connection/get-connection-result.use-case.js';
import { FollowReconnectLink } from '@application/connection/follow-reconnect-link.use-case.js';
import { CompleteAdminConsent } from '@application/consent/complete-admin-consent.use-case.js';
import { FollowAdminConsentLink } from '@application/consent/follow-admin-consent-link.use-case.js';
import { StartAdminConsent } from '@application/consent/start-admin-consent.use-case.js';
import { GetAdminConsentResult } from '@application/consent/get-admin-consent-result.use-case.js';
import { OpenAdminConsentPage } from '@application/consent/open-admin-consent-page.use-case.js';
import { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryAuthorizationStateRepository } from '@adapters/in-memory/in-memory-authorization-state.repository.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryTenantConsentRepository } from '@adapters/in-memory/in-memory-tenant-consent.repository.js';
import { FakeIdentityProvider } from '@adapters/in-memory/fake-identity.provider.js';
import { FakeMailboxProfileReader } from '@adapters/in-memory/fake-mailbox-profile.reader.js';
import { HmacConsentLinks } from '@adapters/microsoft/hmac-consent-links.js';
import { NodeCryptoSecrets } from '@adapters/system/node-crypto-secrets.js';
import { InMemoryAuditTrail } from '@adapters/in-memory/in-memory-audit-trail.js';
import { aMember, aWorkspace } from '../../builders/member.builder.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const SCOPES = ['Calendars.ReadWrite', 'MailboxSettings.Read', 'User.Read'];

class QuietListener extends ConnectionListener {
  async connected(): Promise<void> {}
  async disconnected(): Promise<void> {}
}

function account(name: string): SignedInAccount {
  return {
    userId: `oid-${name}`,
    tenantId: TENANT,
    homeAccountId: `oid-${name}.${TENANT}`,
    username: `${name}@contoso.com`,
    name,
    grantedScopes: SCOPES,
    accessToken: `at-${name}`,
  };
}

async function world(returnUrl: string | null) {
  const clock = new FixedClock('2026-12-01T08:00:00Z');
  const workspaces = new InMemoryWorkspaceRepository();
  const members = new InMemoryMemberRepository();
  const connections = new InMemoryMicrosoftConnectionRepository();
  const consents = new InMemoryTenantConsentRepository();
  const states = new InMemoryAuthorizationStateRepository();
  const identity = new FakeIdentityProvider();
  const profiles = new FakeMailboxProfileReader();
  const links = new HmacConsentLinks('https://kailenty.test', [Buffer.alloc(32, 7)]);
  const secrets = new NodeCryptoSecrets();
  const uow = new InMemoryUnitOfWork();
  const audit = new InMemoryAuditTrail();
  const start = new StartMicrosoftConnection(workspaces, members, states, identity, secrets, clock);
  const complete = new CompleteMicrosoftConnection(
    states,
    workspaces,
    members,
    connections,
    consents,
    identity,
    profiles,
    new QuietListener(),
    clock,
    uow,
    audit,
    links,
  );
  const startAdmin = new StartAdminConsent(workspaces, states, identity, secrets, clock, links);
  const workspace = aWorkspace({ returnUrl, name: 'Contoso Scheduling' });
  await workspaces.add(workspace);
  const ws = workspace.id;

  async function member(name: string, status: 'active' | 'disabled' = 'active') {
    const m = aMember({ workspaceId: ws, email: `${name}@contoso.com`, displayName: `${name} Person` });
    m.change({ status }, clock.now());
    await members.add(m);
    return m.id;
  }
  async function signIn(memberId: string, as: SignedInAccount | MicrosoftError, teamsEnabled = true) {
    await start.execute({ workspaceId: ws, memberId });
    const state = identity.started.at(-1)!.state;
    identity.nextSignIn = as;
    if (!(as instanceof MicrosoftError)) {
      profiles.profiles.set(as.accessToken, {
        mail: as.username,
        userPrincipalName: as.username!,
        timeZone: 'Europe/Paris',
        windowsTimeZone: 'Romance Standard Time',
        teamsEnabled,
        workingHours: null,
      });
    }
    return complete.execute({ state, code: 'code' });
  }
  const linkOf = (url: string) => new URL(url).searchParams.get('link')!;
  return {
    clock,
    ws,
    links,
    identity,
    members,
    connections,
    workspaces,
    member,
    signIn,
    linkOf,
    startAdmin,
    followAdmin: new FollowAdminConsentLink(links, startAdmin, clock),
    completeAdmin: new CompleteAdminConsent(
      states,
      workspaces,
      consents,
      identity,
      secrets,
      clock,
      uow,
      audit,
      links,
    ),
    follow: new FollowReconnectLink(links, members, connections, start, clock),
    result: new GetConnectionResult(links, workspaces, members, connections, clock),
    consentPage: new OpenAdminConsentPage(links, workspaces, clock),
    consentResult: new GetAdminConsentResult(links, workspaces, consents, clock),
  };
}

describe('a member sign-in without a return URL', () => {
  it('ends on the connection result page; its link opens to the member, the mailbox and Teams ability', async () => {
    const w = await world(null);
    const id = await w.member('megan');
    const out = await w.signIn(id, account('megan'), false);
    expect(out.result).toBe('connected');
    const url = new URL(out.redirectUrl);
    expect(url.origin + url.pathname).toBe('https://kailenty.test/microsoft/connection-result');
    expect([...url.searchParams.keys()]).toEqual(['link']);
    expect(await w.result.execute(w.linkOf(out.redirectUrl))).toEqual({
      result: 'connected',
      memberId: id,
      memberName: 'megan Person',
      memberEmail: 'megan@contoso.com',
      mailbox: 'megan@contoso.com',
      teamsEnabled: false,
      adminConsent: null,
    });
  });

  it.each([
    [
      'ACCOUNT_MISMATCH',
      async (w: Awaited<ReturnType<typeof world>>, id: string) => w.signIn(id, account('alex')),
    ],
    [
      'ADMIN_CONSENT_REQUIRED',
      async (w: Awaited<ReturnType<typeof world>>, id: string) =>
        w.signIn(id, microsoftError('AADSTS65001: consent', { error: 'invalid_grant', aadsts: [65001] })),
    ],
    [
      'CONSENT_DECLINED',
      async (w: Awaited<ReturnType<typeof world>>, id: string) =>
        w.signIn(id, microsoftError('declined', { error: 'access_denied', aadsts: [65004] })),
    ],
    [
      'MICROSOFT_UNAVAILABLE',
      async (w: Awaited<ReturnType<typeof world>>, id: string) =>
        w.signIn(id, microsoftError('down', { error: 'temporarily_unavailable' })),
    ],
  ])('%s: the result page link carries the code, nothing else is connected', async (code, act) => {
    const w = await world(null);
    const id = await w.member('megan');
    const out = await act(w, id);
    expect(out.result).toBe(code);
    const view = await w.result.execute(w.linkOf(out.redirectUrl));
    expect(view).toMatchObject({ result: code, memberId: id, mailbox: null, teamsEnabled: null });
    // Only a tenant that needs an administrator gets the 7-day admin consent link, to kailenty's page.
    if (code === 'ADMIN_CONSENT_REQUIRED') {
      const consentUrl = new URL(view!.adminConsent!.url);
      expect(consentUrl.pathname).toBe('/microsoft/admin-consent');
      expect(view!.adminConsent!.expiresAt).toEqual(new Date('2026-12-08T08:00:00Z'));
      expect(await w.consentPage.execute(consentUrl.searchParams.get('link')!)).toEqual({
        workspaceName: 'Contoso Scheduling',
        tenant: null,
      });
    } else {
      expect(view!.adminConsent).toBeNull();
    }
  });

  it('the result link expires after 30 minutes, and a forged, foreign or other-kind link opens to nothing', async () => {
    const w = await world(null);
    const id = await w.member('megan');
    const out = await w.signIn(id, account('megan'));
    const token = w.linkOf(out.redirectUrl);
    w.clock.advance(RESULT_LINK_TTL_MS - 1000);
    expect(await w.result.execute(token)).not.toBeNull();
    w.clock.advance(1000);
    expect(await w.result.execute(token)).toBeNull();
    const other = new HmacConsentLinks('https://kailenty.test', [Buffer.alloc(32, 8)]);
    const soon = new Date(w.clock.now().getTime() + 60_000);
    const foreign = other.create(
      { kind: 'connection_result', workspaceId: w.ws, memberId: id, result: 'connected' },
      soon,
    );
    const adminLink = w.links.create(
      { kind: 'admin_consent', workspaceId: w.ws, tenant: null, returnUrl: null },
      soon,
    );
    for (const bad of [w.linkOf(foreign), w.linkOf(adminLink), '', 'a.b']) {
      expect(await w.result.execute(bad)).toBeNull();
    }
    // And a result link is no admin consent link.
    const fresh = w.links.create(
      { kind: 'connection_result', workspaceId: w.ws, memberId: id, result: 'connected' },
      soon,
    );
    expect(await w.consentPage.execute(w.linkOf(fresh))).toBeNull();
  });

  it('a reconnect link for a member disabled since lands on the result page with ACCOUNT_NOT_ACTIVE', async () => {
    const w = await world(null);
    const id = await w.member('dan');
    await w.connections.save(
      MicrosoftConnection.connect({
        workspaceId: w.ws,
        memberId: id,
        account: {
          userId: 'oid-dan',
          tenantId: TENANT,
          homeAccountId: 'h',
          mailbox: 'dan@contoso.com',
          timeZone: 'UTC',
          windowsTimeZone: 'UTC',
          workingHours: null,
          teamsEnabled: true,
        },
        now: w.clock.now(),
      }),
    );
    const connection = (await w.connections.findByMember(w.ws, id))!;
    connection.markFailed('revoked', 'test', w.clock.now());
    await w.connections.save(connection);
    const m = (await w.members.findById(w.ws, id))!;
    m.change({ status: 'disabled' }, w.clock.now());
    await w.members.save(m);
    w.clock.advance(1000);
    const link = w.links.create(
      {
        kind: 'reconnect',
        workspaceId: w.ws,
        memberId: id,
        returnUrl: null,
        issuedAt: w.clock.now().getTime(),
      },
      new Date(w.clock.now().getTime() + 60_000),
    );
    const out = await w.follow.execute(w.linkOf(link));
    expect(new URL(out.redirectUrl).pathname).toBe('/microsoft/connection-result');
    expect(await w.result.execute(w.linkOf(out.redirectUrl))).toMatchObject({
      result: 'ACCOUNT_NOT_ACTIVE',
      memberId: id,
    });
  });
});

describe('admin consent without a return URL', () => {
  const ADMIN = {
    userId: 'oid-ada',
    tenantId: TENANT,
    name: 'Ada Admin',
    username: 'ada@contoso.com',
    mayGrantTenantWideConsent: true,
  };

  async function toMicrosoft(w: Awaited<ReturnType<typeof world>>) {
    const { adminConsentUrl } = await w.startAdmin.execute({ workspaceId: w.ws });
    expect(new URL(adminConsentUrl).pathname).toBe('/microsoft/admin-consent');
    const view = await w.consentPage.execute(w.linkOf(adminConsentUrl));
    expect(view).toEqual({ workspaceName: 'Contoso Scheduling', tenant: null });
    const { redirectUrl } = await w.followAdmin.execute(w.linkOf(adminConsentUrl));
    return new URL(redirectUrl).searchParams.get('state')!;
  }

  it('granted: the result page link opens to the tenant and the scopes recorded', async () => {
    const w = await world(null);
    w.identity.tenantGrants.set(TENANT, SCOPES);
    const state = await toMicrosoft(w);
    const first = await w.completeAdmin.execute({ state, adminConsent: 'True', tenant: TENANT });
    expect(first.result).toBe('admin_sign_in');
    w.identity.nextAdministrator = ADMIN;
    const signInState = w.identity.administratorSignIns.at(-1)!.state;
    const out = await w.completeAdmin.execute({ state: signInState, code: 'code' });
    expect(new URL(out.redirectUrl).pathname).toBe('/microsoft/admin-consent/result');
    expect(await w.consentResult.execute(w.linkOf(out.redirectUrl))).toEqual({
      result: 'admin_consent_granted',
      workspaceName: 'Contoso Scheduling',
      tenantId: TENANT,
      scopes: SCOPES,
      message: null,
      retryUrl: null,
    });
  });

  it('declined: the message, and a fresh link to the consent page for the same tenant', async () => {
    const w = await world(null);
    const state = await toMicrosoft(w);
    const out = await w.completeAdmin.execute({
      state,
      refusal: redirectError({ error: 'access_denied' }, 'admin_consent'),
    });
    const view = await w.consentResult.execute(w.linkOf(out.redirectUrl));
    expect(view).toMatchObject({ result: 'ADMIN_CONSENT_DECLINED', scopes: [], tenantId: null });
    expect(view!.message).toMatch(/declined the permissions/);
    expect(await w.consentPage.execute(w.linkOf(view!.retryUrl!))).toEqual({
      workspaceName: 'Contoso Scheduling',
      tenant: null,
    });
  });

  it('not verified: who must do it', async () => {
    const w = await world(null);
    const state = await toMicrosoft(w);
    await w.completeAdmin.execute({ state, adminConsent: 'True', tenant: TENANT });
    w.identity.nextAdministrator = { ...ADMIN, mayGrantTenantWideConsent: false };
    const out = await w.completeAdmin.execute({
      state: w.identity.administratorSignIns.at(-1)!.state,
      code: 'code',
    });
    const view = await w.consentResult.execute(w.linkOf(out.redirectUrl));
    expect(view).toMatchObject({ result: 'ADMIN_CONSENT_NOT_VERIFIED' });
    expect(view!.message).toMatch(/Global Administrator/);
    expect(new URL(view!.retryUrl!).pathname).toBe('/microsoft/admin-consent');
  });
});

describe('with a return URL', () => {
  it('the member and the administrator still land there, with the result in the query', async () => {
    const w = await world('https://app.contoso.test/return');
    const id = await w.member('megan');
    const out = await w.signIn(id, account('megan'));
    expect(out.redirectUrl).toBe(`https://app.contoso.test/return?result=connected&memberId=${id}`);
    const state = await toMicrosoftKeeping(w);
    const declined = await w.completeAdmin.execute({
      state,
      refusal: redirectError({ error: 'access_denied' }, 'admin_consent'),
    });
    expect(new URL(declined.redirectUrl).origin).toBe('https://app.contoso.test');
    expect(new URL(declined.redirectUrl).searchParams.get('code')).toBe('ADMIN_CONSENT_DECLINED');
  });

  async function toMicrosoftKeeping(w: Awaited<ReturnType<typeof world>>) {
    const { adminConsentUrl } = await w.startAdmin.execute({ workspaceId: w.ws });
    const { redirectUrl } = await w.followAdmin.execute(w.linkOf(adminConsentUrl));
    return new URL(redirectUrl).searchParams.get('state')!;
  }
});
