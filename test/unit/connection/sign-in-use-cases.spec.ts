// The sign-in, admin consent and revocation use cases on in-memory fakes: every outcome of the member
// callback, starting a sign-in, admin consent, reconnect links, disconnect and recording Microsoft's refusals.
import { MicrosoftConnection } from '@domain/connection/microsoft-connection.js';
import type { Initiator } from '@domain/audit/audit-event.js';
import { DomainError } from '@domain/shared/domain-error.js';
import {
  classifyMicrosoftFailure,
  microsoftError,
  redirectError,
  type MicrosoftFailureFacts,
  type RedirectError,
} from '@adapters/microsoft/microsoft-failure-classifier.js';
import {
  MicrosoftError,
  type SignedInAccount,
  type SignedInAdministrator,
} from '@application/ports/identity-provider.js';
import type { MailboxProfile } from '@application/ports/mailbox-profile.reader.js';
import { ConnectionListener } from '@application/ports/connection.listener.js';
import { StartMicrosoftConnection } from '@application/connection/start-microsoft-connection.use-case.js';
import {
  CompleteMicrosoftConnection,
  type CallbackInput,
} from '@application/connection/complete-microsoft-connection.use-case.js';
import { FollowReconnectLink } from '@application/connection/follow-reconnect-link.use-case.js';
import { DisconnectMicrosoft } from '@application/connection/disconnect-microsoft.use-case.js';
import { RecordMicrosoftFailure } from '@application/connection/record-microsoft-failure.use-case.js';
import { ConnectionViews } from '@application/connection/connection-views.js';
import {
  CompleteAdminConsent,
  type AdminConsentCallback,
} from '@application/consent/complete-admin-consent.use-case.js';
import { FollowAdminConsentLink } from '@application/consent/follow-admin-consent-link.use-case.js';
import { StartAdminConsent } from '@application/consent/start-admin-consent.use-case.js';
import { FixedClock } from '@adapters/in-memory/fixed-clock.js';
import { InMemoryUnitOfWork } from '@adapters/in-memory/in-memory-unit-of-work.js';
import { InMemoryWorkspaceRepository } from '@adapters/in-memory/in-memory-workspace.repository.js';
import { InMemoryMemberRepository } from '@adapters/in-memory/in-memory-member.repository.js';
import { InMemoryAuthorizationStateRepository } from '@adapters/in-memory/in-memory-authorization-state.repository.js';
import { InMemoryDomainEventOutbox } from '@adapters/in-memory/in-memory-domain-event.outbox.js';
import { InMemoryMicrosoftConnectionRepository } from '@adapters/in-memory/in-memory-microsoft-connection.repository.js';
import { InMemoryTenantConsentRepository } from '@adapters/in-memory/in-memory-tenant-consent.repository.js';
import { FakeIdentityProvider } from '@adapters/in-memory/fake-identity.provider.js';
import { FakeMailboxProfileReader } from '@adapters/in-memory/fake-mailbox-profile.reader.js';
import { HmacConsentLinks } from '@adapters/microsoft/hmac-consent-links.js';
import { NodeCryptoSecrets } from '@adapters/system/node-crypto-secrets.js';
import { InMemoryAuditTrail } from '@adapters/in-memory/in-memory-audit-trail.js';
import { RecordingOperationalLog } from '@adapters/in-memory/recording-operational-log.js';
import { aMember, aWorkspace } from '../../builders/member.builder.js';

const RETURN = 'https://app.contoso.test/return';
const apiKey: Initiator = { actor: { type: 'api_key', id: 'key-1' }, clientAddress: '192.0.2.10' };
const SCOPES = ['Calendars.ReadWrite', 'MailboxSettings.Read', 'User.Read'];

class RecordingListener extends ConnectionListener {
  readonly seen: string[] = [];
  failOnDisconnect = false;
  async connected(c: MicrosoftConnection): Promise<void> {
    this.seen.push(`connected ${c.memberId}`);
  }
  async disconnected(c: MicrosoftConnection): Promise<void> {
    this.seen.push(`disconnected ${c.memberId}`);
    if (this.failOnDisconnect) throw new Error('Graph is down');
  }
}

function account(name: string, over: Partial<SignedInAccount> = {}): SignedInAccount {
  const tenantId = over.tenantId ?? 'tenant-a';
  return {
    userId: `oid-${name}`,
    tenantId,
    homeAccountId: `oid-${name}.${tenantId}`,
    username: `${name}@contoso.com`,
    name,
    grantedScopes: SCOPES,
    accessToken: `at-${name}`,
    ...over,
  };
}

function profile(name: string, over: Partial<MailboxProfile> = {}): MailboxProfile {
  return {
    mail: `${name}@contoso.com`,
    userPrincipalName: `${name}@contoso.com`,
    timeZone: 'Europe/Paris',
    windowsTimeZone: 'Romance Standard Time',
    teamsEnabled: true,
    workingHours: null,
    ...over,
  };
}

async function world() {
  const clock = new FixedClock('2026-12-01T08:00:00Z');
  const workspaces = new InMemoryWorkspaceRepository();
  const members = new InMemoryMemberRepository();
  const connections = new InMemoryMicrosoftConnectionRepository();
  const consents = new InMemoryTenantConsentRepository();
  const states = new InMemoryAuthorizationStateRepository();
  const identity = new FakeIdentityProvider();
  const profiles = new FakeMailboxProfileReader();
  const outbox = new InMemoryDomainEventOutbox();
  const links = new HmacConsentLinks('https://kailenty.test', [Buffer.alloc(32, 1)]);
  const listener = new RecordingListener();
  const uow = new InMemoryUnitOfWork();
  const log = new RecordingOperationalLog();
  const secrets = new NodeCryptoSecrets();
  const audit = new InMemoryAuditTrail();
  const views = new ConnectionViews(connections, workspaces, links, clock);
  const start = new StartMicrosoftConnection(workspaces, members, states, identity, secrets, clock);
  const complete = new CompleteMicrosoftConnection(
    states,
    workspaces,
    members,
    connections,
    consents,
    identity,
    profiles,
    listener,
    clock,
    uow,
    audit,
    links,
  );
  const workspace = aWorkspace({ returnUrl: RETURN });
  await workspaces.add(workspace);
  const ws = workspace.id;

  async function member(name: string, status: 'active' | 'disabled' | 'pending' = 'active') {
    const m = aMember({ workspaceId: ws, email: `${name}@contoso.com` });
    if (status !== 'pending') m.change({ status }, clock.now());
    await members.add(m);
    return m.id;
  }
  /** Starts a sign-in and returns its state. */
  async function begin(memberId: string, returnUrl?: string) {
    await start.execute({ workspaceId: ws, memberId, returnUrl });
    return identity.started.at(-1)!.state;
  }
  /** A whole round trip: who signs in (or Microsoft's refusal), and what their mailbox says. */
  async function signIn(
    memberId: string,
    as: SignedInAccount | MicrosoftError,
    mailbox?: MailboxProfile,
    callback: Partial<CallbackInput> = {},
  ) {
    const state = await begin(memberId);
    identity.nextSignIn = as;
    if (mailbox && !(as instanceof MicrosoftError)) profiles.profiles.set(as.accessToken, mailbox);
    return complete.execute({ state, code: 'code', ...callback });
  }
  const result = (url: string) => Object.fromEntries(new URL(url).searchParams);
  /** How many OAuth states are kept (deleteSpent far ahead removes them all). */
  const stateCount = () => states.deleteSpent(new Date('2100-01-01T00:00:00Z'));
  const startAdmin = new StartAdminConsent(workspaces, states, identity, secrets, clock, links);

  return {
    clock,
    ws,
    workspaces,
    members,
    connections,
    consents,
    states,
    identity,
    profiles,
    outbox,
    audit,
    links,
    listener,
    views,
    start,
    complete,
    log,
    failures: new RecordMicrosoftFailure(
      connections,
      consents,
      members,
      outbox,
      views,
      clock,
      uow,
      audit,
      log,
    ),
    follow: new FollowReconnectLink(links, members, connections, start, clock),
    disconnect: new DisconnectMicrosoft(members, connections, identity, listener, clock, uow, audit),
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
    member,
    begin,
    signIn,
    result,
    stateCount,
  };
}

type World = Awaited<ReturnType<typeof world>>;
let w: World;
beforeEach(async () => {
  w = await world();
});

describe('StartMicrosoftConnection', () => {
  it('keeps a 10-minute state bound to the member and return URL, with the member’s email as login_hint', async () => {
    const id = await w.member('adele');
    const started = await w.start.execute({ workspaceId: w.ws, memberId: id, returnUrl: `${RETURN}?x=1` });
    const { state, loginHint } = w.identity.started[0]!;
    expect(loginHint).toBe('adele@contoso.com');
    expect(started.authorizeUrl).toContain(state);
    expect(started.expiresAt.getTime() - w.clock.now().getTime()).toBe(10 * 60_000);
    const kept = (await w.states.consume(state, w.clock.now()))!.toSnapshot();
    expect(kept).toMatchObject({
      purpose: 'member_connection',
      workspaceId: w.ws,
      memberId: id,
      returnUrl: `${RETURN}?x=1`,
      codeVerifier: `verifier-${state}`,
      nonce: `nonce-${state}`,
    });
  });

  it('refuses a member who is not active, another workspace’s member and a foreign return URL, keeping nothing', async () => {
    const pending = await w.member('pat', 'pending');
    const disabled = await w.member('dan', 'disabled');
    const active = await w.member('ann');
    const other = aWorkspace();
    await w.workspaces.add(other);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: DomainError) => e.code,
      );
    expect(await codeOf(w.start.execute({ workspaceId: w.ws, memberId: pending }))).toBe(
      'ACCOUNT_NOT_ACTIVE',
    );
    expect(await codeOf(w.start.execute({ workspaceId: w.ws, memberId: disabled }))).toBe(
      'ACCOUNT_NOT_ACTIVE',
    );
    expect(await codeOf(w.start.execute({ workspaceId: other.id, memberId: active }))).toBe('NOT_FOUND');
    expect(
      await codeOf(w.start.execute({ workspaceId: w.ws, memberId: active, returnUrl: 'https://evil.test/' })),
    ).toBe('VALIDATION_FAILED');
    expect(w.identity.started).toEqual([]);
    expect(await w.stateCount()).toBe(0);
  });

  it('Entra unreachable is MICROSOFT_UNAVAILABLE, and no state is kept', async () => {
    const id = await w.member('adele');
    w.identity.startFailure = microsoftError('fetch failed', { error: 'temporarily_unavailable' });
    await expect(w.start.execute({ workspaceId: w.ws, memberId: id })).rejects.toMatchObject({
      code: 'MICROSOFT_UNAVAILABLE',
    });
    expect(await w.stateCount()).toBe(0);
  });
});

describe('CompleteMicrosoftConnection', () => {
  it('connects: binds the member to the oid and the workspace to the tenant, records user consent, keeps tokens', async () => {
    const id = await w.member('adele');
    const out = await w.signIn(id, account('adele'), profile('adele'));
    expect(out.result).toBe('connected');
    expect(w.result(out.redirectUrl)).toEqual({ result: 'connected', memberId: id });
    expect(out.redirectUrl.startsWith(`${RETURN}?`)).toBe(true);
    expect((await w.connections.findByMember(w.ws, id))!.toSnapshot()).toMatchObject({
      status: 'connected',
      userId: 'oid-adele',
      tenantId: 'tenant-a',
      mailbox: 'adele@contoso.com',
      timeZone: 'Europe/Paris',
      teamsEnabled: true,
      connectedAt: w.clock.now(),
    });
    expect((await w.members.findById(w.ws, id))!.toSnapshot().microsoftUserId).toBe('oid-adele');
    expect((await w.workspaces.findById(w.ws))!.tenantId).toBe('tenant-a');
    expect((await w.consents.find(w.ws))!.toSnapshot()).toMatchObject({
      status: 'granted',
      grantType: 'user',
      grantedBy: 'adele@contoso.com',
      scopes: SCOPES,
    });
    expect(w.identity.kept).toEqual(new Set([`${w.ws}/${id}/oid-adele.tenant-a`]));
    expect(w.listener.seen).toEqual([`connected ${id}`]);
  });

  it("keeps the mailbox's Outlook working hours, refreshed at each sign-in", async () => {
    const id = await w.member('adele');
    const hours = {
      days: ['tue' as const, 'wed' as const],
      start: '10:00',
      end: '18:30',
      timeZone: 'Europe/Paris',
    };
    await w.signIn(id, account('adele'), profile('adele', { workingHours: hours }));
    expect((await w.connections.findByMember(w.ws, id))!.workingHours).toEqual(hours);
    await w.signIn(id, account('adele'), profile('adele', { workingHours: null }));
    expect((await w.connections.findByMember(w.ws, id))!.workingHours).toBeNull();
  });

  it('a state is single use, expires after 10 minutes, and serves only its purpose: INVALID_STATE', async () => {
    const id = await w.member('adele');
    const state = await w.begin(id);
    w.identity.nextSignIn = account('adele');
    w.profiles.profiles.set('at-adele', profile('adele'));
    await w.complete.execute({ state, code: 'c' });
    const codeOf = (input: CallbackInput) =>
      w.complete.execute(input).then(
        () => 'ok',
        (e: DomainError) => e.code,
      );
    expect(await codeOf({ state, code: 'c' })).toBe('INVALID_STATE');
    expect(await codeOf({ state: 'unknown', code: 'c' })).toBe('INVALID_STATE');
    expect(await codeOf({ state: undefined, code: 'c' })).toBe('INVALID_STATE');
    const late = await w.begin(id);
    w.clock.advance(10 * 60_000);
    expect(await codeOf({ state: late, code: 'c' })).toBe('INVALID_STATE');
    const { adminConsentUrl } = await w.startAdmin.execute({ workspaceId: w.ws });
    const adminState = new URL(adminConsentUrl).searchParams.get('state')!;
    expect(await codeOf({ state: adminState, code: 'c' })).toBe('INVALID_STATE');
  });

  it('ACCOUNT_NOT_ACTIVE: a member disabled after starting; Microsoft is not asked and nothing is kept', async () => {
    const id = await w.member('adele');
    const state = await w.begin(id);
    const m = (await w.members.findById(w.ws, id))!;
    m.change({ status: 'disabled' }, w.clock.now());
    await w.members.save(m);
    w.identity.nextSignIn = account('adele');
    const out = await w.complete.execute({ state, code: 'c' });
    expect(w.result(out.redirectUrl)).toEqual({ result: 'error', code: 'ACCOUNT_NOT_ACTIVE', memberId: id });
    expect(w.identity.nextSignIn).not.toBeNull();
    expect(await w.connections.findByMember(w.ws, id)).toBeNull();
  });

  it('TENANT_MISMATCH: an account of another tenant than the bound one; its tokens are dropped', async () => {
    const adele = await w.member('adele');
    await w.signIn(adele, account('adele'), profile('adele'));
    const nancy = await w.member('nancy');
    const out = await w.signIn(nancy, account('nancy', { tenantId: 'tenant-b' }), profile('nancy'));
    expect(w.result(out.redirectUrl)).toEqual({ result: 'error', code: 'TENANT_MISMATCH', memberId: nancy });
    expect([...w.identity.kept]).toEqual([`${w.ws}/${adele}/oid-adele.tenant-a`]);
    expect((await w.workspaces.findById(w.ws))!.tenantId).toBe('tenant-a');
  });

  it('ACCOUNT_MISMATCH: another person’s account, or an account bound to another member; nothing kept or bound', async () => {
    const megan = await w.member('megan');
    const out = await w.signIn(megan, account('alex'), profile('alex'));
    expect(w.result(out.redirectUrl)).toEqual({ result: 'error', code: 'ACCOUNT_MISMATCH', memberId: megan });
    expect(w.identity.kept.size).toBe(0);
    expect((await w.workspaces.findById(w.ws))!.tenantId).toBeNull();

    // Sam's mail and UPN differ: a member for each matches her account by address.
    const sam = profile('sam', { userPrincipalName: 'sam.carter@contoso.com' });
    const byMail = await w.member('sam');
    const byUpn = await w.member('sam.carter');
    expect((await w.signIn(byMail, account('sam'), sam)).result).toBe('connected');
    const second = await w.signIn(byUpn, account('sam'), sam);
    expect(w.result(second.redirectUrl)).toEqual({
      result: 'error',
      code: 'ACCOUNT_MISMATCH',
      memberId: byUpn,
    });
    expect((await w.members.findById(w.ws, byUpn))!.toSnapshot().microsoftUserId).toBeNull();
    expect(await w.connections.findByMember(w.ws, byUpn)).toBeNull();
    expect([...w.identity.kept]).toEqual([`${w.ws}/${byMail}/oid-sam.tenant-a`]);

    // Once bound, a member is its oid's: another account with the same address is turned away.
    const again = await w.signIn(byMail, account('sam-2'), profile('sam'));
    expect(again.result).toBe('ACCOUNT_MISMATCH');
    expect([...w.identity.kept]).toEqual([`${w.ws}/${byMail}/oid-sam.tenant-a`]);
  });

  it.each([
    [
      'an error redirect with AADSTS90094',
      'ADMIN_CONSENT_REQUIRED',
      { error: 'invalid_request', errorDescription: 'AADSTS90094: admin' },
    ],
    [
      'a redeem refused with AADSTS65001',
      'ADMIN_CONSENT_REQUIRED',
      microsoftError('AADSTS65001', { aadsts: [65001], error: 'invalid_grant' }),
    ],
    [
      'declined consent (AADSTS65004)',
      'CONSENT_DECLINED',
      { error: 'access_denied', errorDescription: 'AADSTS65004: declined' },
    ],
    [
      'a disabled account (AADSTS50057)',
      'MICROSOFT_ACCOUNT_DISABLED',
      { error: 'invalid_request', errorDescription: 'AADSTS50057: disabled' },
    ],
    [
      'a user of another tenant (AADSTS50020)',
      'TENANT_MISMATCH',
      { error: 'invalid_request', errorDescription: 'AADSTS50020: not in tenant' },
    ],
    [
      'a code already redeemed (AADSTS54005)',
      'MICROSOFT_SIGN_IN_FAILED',
      microsoftError('AADSTS54005', { aadsts: [54005], error: 'invalid_grant' }),
    ],
    ['a redirect without a code', 'MICROSOFT_SIGN_IN_FAILED', {}],
    [
      'Entra unreachable at redeem',
      'MICROSOFT_UNAVAILABLE',
      microsoftError('fetch failed', { error: 'temporarily_unavailable' }),
    ],
    ['Graph throttling the mailbox read', 'MICROSOFT_UNAVAILABLE', 'graph-429'],
  ] as const)('Microsoft’s refusal: %s → %s', async (_, code, refusal) => {
    const id = await w.member('grace');
    const state = await w.begin(id);
    let input: CallbackInput = { state, code: 'c' };
    if (refusal instanceof MicrosoftError) w.identity.nextSignIn = refusal;
    else if (refusal === 'graph-429') {
      w.identity.nextSignIn = account('grace');
      w.profiles.failure = microsoftError('throttled', {
        graphStatus: 429,
        error: 'temporarily_unavailable',
      });
    } else input = { state, refusal: redirectError(refusal, 'sign_in') };
    const out = await w.complete.execute(input);
    expect(w.result(out.redirectUrl)).toEqual({ result: 'error', code, memberId: id });
    expect(w.identity.kept.size).toBe(0);
    expect(await w.connections.findByMember(w.ws, id)).toBeNull();
    expect((await w.consents.find(w.ws))?.status ?? 'none').toBe(
      code === 'ADMIN_CONSENT_REQUIRED' ? 'admin_required' : 'none',
    );
  });

  it('a new sign-in of the same account repairs a revoked connection and keeps when it was first connected', async () => {
    const id = await w.member('adele');
    await w.signIn(id, account('adele'), profile('adele'));
    const first = w.clock.now();
    await w.failures.execute({
      workspaceId: w.ws,
      memberId: id,
      verdict: classifyMicrosoftFailure({ aadsts: [70008] }),
    });
    w.clock.advance(3600_000);
    expect((await w.signIn(id, account('adele'), profile('adele', { teamsEnabled: false }))).result).toBe(
      'connected',
    );
    expect((await w.connections.findByMember(w.ws, id))!.toSnapshot()).toMatchObject({
      status: 'connected',
      statusReason: null,
      connectedAt: first,
      lastSignInAt: w.clock.now(),
      teamsEnabled: false,
    });
  });
});

describe('CompleteAdminConsent', () => {
  const A = '11111111-1111-4111-8111-111111111111';
  const B = '22222222-2222-4222-8222-222222222222';
  const DOWN = '33333333-3333-4333-8333-333333333333';
  const GLOBAL_ADMIN: SignedInAdministrator = {
    userId: 'oid-ada',
    tenantId: A,
    name: 'Ada Admin',
    username: 'ada@contoso.com',
    mayGrantTenantWideConsent: true,
  };

  /** Entra's redirect as the OAuth controller hands it over: its `error` read at the edge. */
  const entraAnswer = ({
    error,
    errorDescription,
    ...rest
  }: Partial<AdminConsentCallback> & RedirectError): Partial<AdminConsentCallback> => ({
    ...rest,
    refusal: redirectError({ error, errorDescription }, 'admin_consent'),
  });

  /** The first leg: starts the flow (optionally for a named tenant) and comes back from adminconsent. */
  async function consentLeg(query: Partial<AdminConsentCallback>, tenant?: string) {
    const { adminConsentUrl } = await w.startAdmin.execute({ workspaceId: w.ws, tenant });
    // The link opens kailenty's page; its button follows the link on to Microsoft with a fresh state.
    const link = new URL(adminConsentUrl).searchParams.get('link')!;
    const state = new URL((await w.followAdmin.execute(link)).redirectUrl).searchParams.get('state')!;
    return { state, out: await w.completeAdmin.execute({ state, ...query }) };
  }
  /** Both legs: admin consent for `tenant`, then the sign-in of `admin` (or Microsoft's answer). */
  async function bothLegs(
    admin: SignedInAdministrator | MicrosoftError,
    signInQuery: Partial<AdminConsentCallback> = { code: 'code' },
    tenant = A,
  ) {
    const { out } = await consentLeg({ adminConsent: 'True', tenant });
    expect(out.result).toBe('admin_sign_in');
    const signInState = w.identity.administratorSignIns.at(-1)!.state;
    w.identity.nextAdministrator = admin;
    return w.completeAdmin.execute({ state: signInState, ...signInQuery });
  }
  async function expectNothingRecorded(boundTo: string | null = null) {
    expect(await w.consents.find(w.ws)).toBeNull();
    expect((await w.workspaces.findById(w.ws))!.tenantId).toBe(boundTo);
  }

  beforeEach(() => {
    w.identity.tenantGrants.set(A, ['Calendars.ReadWrite']);
    w.identity.tenantGrants.set(B, SCOPES);
    w.identity.tenantGrants.set(DOWN, microsoftError('down', { error: 'temporarily_unavailable' }));
    w.identity.domains.set('contoso.com', A);
  });

  it('records nothing when Microsoft sends the administrator back: it sends them on to sign in at that tenant', async () => {
    const { out } = await consentLeg({ adminConsent: 'True', tenant: A });
    const signIn = w.identity.administratorSignIns[0]!;
    expect(signIn.tenant).toBe(A);
    expect(out).toEqual({ result: 'admin_sign_in', redirectUrl: expect.stringContaining(signIn.state) });
    await expectNothingRecorded();
  });

  it('records the grant once an administrator of that tenant signed in and an app-only token works', async () => {
    const out = await bothLegs(GLOBAL_ADMIN);
    expect(w.result(out.redirectUrl)).toEqual({ result: 'admin_consent_granted', tenantId: A });
    expect((await w.workspaces.findById(w.ws))!.tenantId).toBe(A);
    expect((await w.consents.find(w.ws))!.toSnapshot()).toMatchObject({
      status: 'granted',
      grantType: 'admin',
      scopes: ['Calendars.ReadWrite'],
      grantedAt: w.clock.now(),
      grantedBy: 'Ada Admin (oid oid-ada)',
    });
  });

  it('accepts a signed-in administrator whose token carries no directory roles (the app emits none)', async () => {
    const out = await bothLegs({ ...GLOBAL_ADMIN, mayGrantTenantWideConsent: null });
    expect(out.result).toBe('admin_consent_granted');
  });

  it('a link made for a verified domain is for that tenant only', async () => {
    const { out } = await consentLeg({ adminConsent: 'True', tenant: B }, 'contoso.com');
    expect(w.result(out.redirectUrl)).toMatchObject({ result: 'error', code: 'TENANT_MISMATCH' });
    const same = await consentLeg({ adminConsent: 'True', tenant: A }, 'contoso.com');
    expect(same.out.result).toBe('admin_sign_in');
    await expectNothingRecorded();
  });

  it.each([
    [
      'declined',
      'ADMIN_CONSENT_DECLINED',
      { error: 'access_denied', adminConsent: 'True', errorDescription: 'AADSTS65004' },
    ],
    [
      'another error',
      'ADMIN_CONSENT_NOT_VERIFIED',
      { error: 'invalid_request', errorDescription: 'AADSTS90093: not an admin' },
    ],
    ['no admin_consent=True', 'ADMIN_CONSENT_NOT_VERIFIED', { tenant: A }],
    [
      'a tenant that is not an id',
      'ADMIN_CONSENT_NOT_VERIFIED',
      { adminConsent: 'True', tenant: 'contoso.com' },
    ],
    ['a code instead of the consent answer', 'ADMIN_CONSENT_NOT_VERIFIED', { code: 'stolen' }],
  ] as const)('first leg: %s → %s, recording nothing', async (_, code, query) => {
    const { out } = await consentLeg(entraAnswer(query));
    expect(w.result(out.redirectUrl)).toMatchObject({ result: 'error', code, message: expect.any(String) });
    expect(w.identity.administratorSignIns).toEqual([]);
    await expectNothingRecorded();
  });

  it('first leg: a tenant other than the bound one, or than the one the link named, is TENANT_MISMATCH', async () => {
    const named = await consentLeg({ adminConsent: 'True', tenant: B }, A);
    expect(w.result(named.out.redirectUrl)).toMatchObject({ code: 'TENANT_MISMATCH' });
    const ws = (await w.workspaces.findById(w.ws))!;
    ws.bindTenant(A, w.clock.now());
    await w.workspaces.save(ws);
    const bound = await consentLeg({ adminConsent: 'True', tenant: B });
    expect(w.result(bound.out.redirectUrl)).toMatchObject({ code: 'TENANT_MISMATCH' });
    expect(w.identity.administratorSignIns).toEqual([]);
    await expectNothingRecorded(A);
  });

  it.each([
    [
      'an account of another tenant signed in',
      'ADMIN_CONSENT_NOT_VERIFIED',
      { ...GLOBAL_ADMIN, tenantId: B },
    ],
    [
      'a user without a role that may grant consent',
      'ADMIN_CONSENT_NOT_VERIFIED',
      { ...GLOBAL_ADMIN, mayGrantTenantWideConsent: false },
    ],
    [
      'a sign-in Microsoft refuses',
      'ADMIN_CONSENT_NOT_VERIFIED',
      microsoftError('bad code', { error: 'invalid_grant', aadsts: [70000] }),
    ],
    [
      'Entra unreachable',
      'MICROSOFT_UNAVAILABLE',
      microsoftError('fetch failed', { error: 'temporarily_unavailable' }),
    ],
  ] as const)('second leg: %s → %s, recording nothing', async (_, code, admin) => {
    const out = await bothLegs(admin as SignedInAdministrator | MicrosoftError);
    expect(w.result(out.redirectUrl)).toMatchObject({ result: 'error', code });
    await expectNothingRecorded();
  });

  it('second leg: the sign-in cancelled or skipped (no code) is ADMIN_CONSENT_NOT_VERIFIED', async () => {
    for (const query of [{ error: 'access_denied' }, { adminConsent: 'True', tenant: A }]) {
      const out = await bothLegs(GLOBAL_ADMIN, query);
      expect(w.result(out.redirectUrl)).toMatchObject({ code: 'ADMIN_CONSENT_NOT_VERIFIED' });
    }
    await expectNothingRecorded();
  });

  it('second leg: an app-only token refused or Microsoft down records nothing', async () => {
    w.identity.tenantGrants.delete(A);
    expect((await bothLegs(GLOBAL_ADMIN)).result).toBe('ADMIN_CONSENT_NOT_VERIFIED');
    const down = await bothLegs({ ...GLOBAL_ADMIN, tenantId: DOWN }, { code: 'code' }, DOWN);
    expect(down.result).toBe('MICROSOFT_UNAVAILABLE');
    await expectNothingRecorded();
  });

  it('a spent, unknown or member state is INVALID_STATE, in either leg', async () => {
    const { state } = await consentLeg({ adminConsent: 'True', tenant: A });
    const signInState = w.identity.administratorSignIns.at(-1)!.state;
    w.identity.nextAdministrator = GLOBAL_ADMIN;
    await w.completeAdmin.execute({ state: signInState, code: 'code' });
    const memberState = await w.begin(await w.member('adele'));
    for (const s of [state, signInState, 'unknown', memberState, undefined]) {
      await expect(
        w.completeAdmin.execute({ state: s, adminConsent: 'True', tenant: A, code: 'code' }),
      ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    }
  });
});

describe('FollowReconnectLink', () => {
  /** A link as the member's status hands it out: made now, for a connection Microsoft refused. */
  const link = (memberId: string, ms = 60_000) =>
    new URL(
      w.links.create(
        {
          kind: 'reconnect',
          workspaceId: w.ws,
          memberId,
          returnUrl: RETURN,
          issuedAt: w.clock.now().getTime(),
        },
        new Date(w.clock.now().getTime() + ms),
      ),
    ).searchParams.get('link')!;
  /** A member whose connection Microsoft refused (AADSTS70008). */
  async function brokenMember(name: string, status: 'active' | 'disabled' = 'active') {
    const id = await w.member(name);
    const connection = MicrosoftConnection.connect({
      workspaceId: w.ws,
      memberId: id,
      account: {
        userId: `oid-${name}`,
        tenantId: 'tenant-a',
        homeAccountId: `oid-${name}.tenant-a`,
        mailbox: `${name}@contoso.com`,
        timeZone: 'UTC',
        teamsEnabled: true,
      },
      now: w.clock.now(),
    });
    connection.markFailed('revoked', 'AADSTS70008', w.clock.now());
    await w.connections.save(connection);
    if (status === 'disabled') {
      const m = (await w.members.findById(w.ws, id))!;
      m.change({ status }, w.clock.now());
      await w.members.save(m);
    }
    return id;
  }

  it('stops working once the member signed in again, or when there is nothing to repair', async () => {
    const id = await brokenMember('adele');
    const token = link(id);
    w.clock.advance(1000);
    const connection = (await w.connections.findByMember(w.ws, id))!;
    connection.signedInAgain(
      {
        userId: 'oid-adele',
        tenantId: 'tenant-a',
        homeAccountId: 'oid-adele.tenant-a',
        mailbox: 'adele@contoso.com',
        timeZone: 'UTC',
        teamsEnabled: true,
      },
      w.clock.now(),
    );
    await w.connections.save(connection);
    await expect(w.follow.execute(token)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    // Broken again later: the old link stays dead, a new one works.
    connection.markFailed('revoked', 'AADSTS50173', w.clock.now());
    await w.connections.save(connection);
    await expect(w.follow.execute(token)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(w.follow.execute(link(id))).resolves.toMatchObject({ redirectUrl: expect.any(String) });
    const never = await w.member('nobody');
    await expect(w.follow.execute(link(never))).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('starts a fresh sign-in for the member, with a new state', async () => {
    const id = await brokenMember('adele');
    const out = await w.follow.execute(link(id));
    const { state, loginHint } = w.identity.started[0]!;
    expect(out.redirectUrl).toContain(state);
    expect(loginHint).toBe('adele@contoso.com');
    expect((await w.states.consume(state, w.clock.now()))!.toSnapshot()).toMatchObject({
      memberId: id,
      returnUrl: RETURN,
    });
  });

  it('a disabled member, or Entra unreachable, lands on the return URL with the code and memberId', async () => {
    const disabled = await brokenMember('dan', 'disabled');
    expect(w.result((await w.follow.execute(link(disabled))).redirectUrl)).toEqual({
      result: 'error',
      code: 'ACCOUNT_NOT_ACTIVE',
      memberId: disabled,
    });
    const active = await brokenMember('ann');
    w.identity.startFailure = microsoftError('fetch failed', { error: 'temporarily_unavailable' });
    expect(w.result((await w.follow.execute(link(active))).redirectUrl)).toEqual({
      result: 'error',
      code: 'MICROSOFT_UNAVAILABLE',
      memberId: active,
    });
    expect(await w.stateCount()).toBe(0);
  });

  it('a forged, expired or admin-consent link, or a member gone, is INVALID_STATE', async () => {
    const id = await brokenMember('adele');
    const expired = link(id, 1000);
    w.clock.advance(1000);
    const admin = new URL(
      w.links.create(
        { kind: 'admin_consent', workspaceId: w.ws, tenant: null, returnUrl: RETURN },
        new Date(w.clock.now().getTime() + 60_000),
      ),
    ).searchParams.get('link')!;
    const other = new HmacConsentLinks('https://kailenty.test', [Buffer.alloc(32, 2)]);
    const forged = new URL(
      other.create(
        { kind: 'reconnect', workspaceId: w.ws, memberId: id, returnUrl: 'https://evil.test/', issuedAt: 0 },
        new Date('2030-01-01'),
      ),
    ).searchParams.get('link')!;
    for (const token of [expired, admin, forged, 'garbage', link('00000000-0000-4000-8000-000000000000')]) {
      await expect(w.follow.execute(token)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    }
    expect(w.identity.started).toEqual([]);
  });
});

describe('DisconnectMicrosoft', () => {
  it('removes the connection and forgets the tokens, even when removing the subscription fails', async () => {
    const id = await w.member('adele');
    await w.signIn(id, account('adele'), profile('adele'));
    w.listener.failOnDisconnect = true;
    await w.disconnect.execute({ by: apiKey, workspaceId: w.ws, memberId: id });
    expect(w.listener.seen).toEqual([`connected ${id}`, `disconnected ${id}`]);
    expect(await w.connections.findByMember(w.ws, id)).toBeNull();
    expect(w.identity.kept.size).toBe(0);
    // The member stays bound to the account: another account cannot take its place.
    expect((await w.signIn(id, account('adele-2'), profile('adele'))).result).toBe('ACCOUNT_MISMATCH');
  });

  it('another workspace’s member is NOT_FOUND and its connection stays', async () => {
    const id = await w.member('adele');
    await w.signIn(id, account('adele'), profile('adele'));
    const other = aWorkspace();
    await w.workspaces.add(other);
    await expect(
      w.disconnect.execute({ by: apiKey, workspaceId: other.id, memberId: id }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await w.connections.findByMember(w.ws, id)).not.toBeNull();
    expect(w.identity.kept.size).toBe(1);
  });
});

describe('RecordMicrosoftFailure', () => {
  async function connectedMembers(...names: string[]) {
    const ids: string[] = [];
    for (const name of names) {
      const id = await w.member(name);
      await w.signIn(id, account(name), profile(name));
      ids.push(id);
    }
    return ids;
  }
  const record = (memberId: string, facts: MicrosoftFailureFacts) =>
    w.failures.execute({ workspaceId: w.ws, memberId, verdict: classifyMicrosoftFailure(facts) });
  const statusOf = async (id: string) => (await w.connections.findByMember(w.ws, id))!.status;
  const revokedEvents = () => w.outbox.events.filter((e) => e.type === 'connection.revoked');

  it('a passing fault (unavailable, throttled) changes nothing and records nothing', async () => {
    const [id] = await connectedMembers('adele');
    expect((await record(id!, { error: 'temporarily_unavailable' })).kind).toBe('unavailable');
    expect((await record(id!, { graphStatus: 429 })).kind).toBe('rate_limited');
    expect(await statusOf(id!)).toBe('connected');
    expect(w.outbox.events).toEqual([]);
    expect(w.log.lines).toEqual([]);
  });

  it('a refusal marks the connection once, with one connection.revoked carrying the member and its repair link', async () => {
    const [id] = await connectedMembers('adele');
    await record(id!, { aadsts: [70008], error: 'invalid_grant' });
    await record(id!, { graphStatus: 401 });
    expect(await statusOf(id!)).toBe('revoked');
    expect(revokedEvents()).toHaveLength(1);
    expect(revokedEvents()[0]).toMatchObject({
      workspaceId: w.ws,
      occurredAt: w.clock.now(),
      data: {
        id,
        microsoft: {
          connection: 'revoked',
          reconnectUrl: expect.stringContaining('/oauth/microsoft/reconnect?link='),
        },
      },
    });
    expect((await w.consents.find(w.ws))!.status).toBe('granted');
    // Said once to operators too, with whose connection and why.
    expect(w.log.lines).toEqual([
      {
        level: 'warn',
        event: 'microsoft.connection_revoked',
        message: expect.stringContaining('is now revoked (AADSTS70008)'),
        fields: {
          workspaceId: w.ws,
          memberId: id,
          status: 'revoked',
          reason: 'AADSTS70008',
          tenantWide: false,
        },
      },
    ]);
  });

  it('a claims challenge or MFA demand is reauthorization_required; a later revocation is reported again', async () => {
    const [a, b] = await connectedMembers('adele', 'megan');
    await record(a!, { graphStatus: 401, claimsChallenge: true });
    await record(b!, { aadsts: [50076] });
    expect([await statusOf(a!), await statusOf(b!)]).toEqual([
      'reauthorization_required',
      'reauthorization_required',
    ]);
    await record(a!, { aadsts: [50173] });
    expect(await statusOf(a!)).toBe('revoked');
    expect(
      revokedEvents().map((e) => [
        (e.data as { id: string }).id,
        (e.data as { microsoft: { connection: string } }).microsoft.connection,
      ]),
    ).toEqual([
      [a, 'reauthorization_required'],
      [b, 'reauthorization_required'],
      [a, 'revoked'],
    ]);
  });

  it.each<[string, MicrosoftFailureFacts]>([
    ['AADSTS700016 on refresh', { aadsts: [700016], error: 'unauthorized_client' }],
    ['an app-only token refused', { appOnly: true, error: 'unauthorized_client' }],
  ])('%s revokes the tenant’s consent and every connection, one event each', async (_, facts) => {
    const [a, b, c] = await connectedMembers('adele', 'megan', 'alex');
    await record(c!, { aadsts: [70008] });
    const verdict = await record(a!, facts);
    expect(verdict).toMatchObject({ kind: 'revoked', tenantWide: true });
    expect([await statusOf(a!), await statusOf(b!), await statusOf(c!)]).toEqual([
      'revoked',
      'revoked',
      'revoked',
    ]);
    expect((await w.consents.find(w.ws))!.toSnapshot()).toMatchObject({
      status: 'revoked',
      revokedAt: w.clock.now(),
    });
    expect(
      revokedEvents()
        .map((e) => (e.data as { id: string }).id)
        .sort(),
    ).toEqual([a, b, c].sort());
    await record(b!, facts);
    expect(revokedEvents()).toHaveLength(3);
    expect(w.log.of('microsoft.tenant_consent_revoked').map((l) => l.fields)).toEqual([
      { workspaceId: w.ws, tenantId: 'tenant-a', reason: expect.any(String) },
    ]);
    const revokedLines = w.log.of('microsoft.connection_revoked').map((l) => l.fields.memberId);
    expect(revokedLines[0]).toBe(c);
    expect(revokedLines.sort()).toEqual([a, b, c].sort());
  });
});

describe('the audit trail of connections', () => {
  const trail = async () => (await w.audit.list(w.ws, { limit: 200 })).data;
  const summary = async () =>
    (await trail()).map((e) => ({ type: e.type, member: e.object.id, actor: e.actor, details: e.details }));

  it('a sign-in records member.connected by the Microsoft account (oid, name) from the browser’s address', async () => {
    const id = await w.member('adele');
    await w.signIn(id, account('adele'), profile('adele'), { clientAddress: '192.0.2.44' });
    expect(await trail()).toEqual([
      expect.objectContaining({
        type: 'member.connected',
        object: { type: 'member', id },
        actor: { type: 'microsoft_account', id: 'oid-adele', name: 'adele' },
        clientAddress: '192.0.2.44',
        details: { tenantId: 'tenant-a' },
        occurredAt: w.clock.now(),
      }),
    ]);
    // No display name from Entra: the actor is the oid alone; no address given: null.
    const megan = await w.member('megan');
    w.clock.advance(1000);
    await w.signIn(megan, account('megan', { name: null }), profile('megan'));
    expect((await trail())[0]).toMatchObject({
      actor: { type: 'microsoft_account', id: 'oid-megan' },
      clientAddress: null,
    });
    expect((await trail())[0]!.actor).not.toHaveProperty('name');
    expect(JSON.stringify(await trail())).not.toContain('at-adele');
  });

  it('a refused sign-in records nothing', async () => {
    const id = await w.member('adele');
    expect((await w.signIn(id, account('someone-else'), profile('someone-else'))).result).toBe(
      'ACCOUNT_MISMATCH',
    );
    expect(await trail()).toEqual([]);
  });

  it('a disconnect is recorded with the API key that asked; a member with no connection records nothing', async () => {
    const id = await w.member('adele');
    await w.signIn(id, account('adele'), profile('adele'));
    w.clock.advance(1000);
    await w.disconnect.execute({ by: apiKey, workspaceId: w.ws, memberId: id });
    w.clock.advance(1000);
    await w.disconnect.execute({ by: apiKey, workspaceId: w.ws, memberId: id });
    const [latest] = await trail();
    expect(latest).toMatchObject({
      type: 'member.disconnected',
      object: { type: 'member', id },
      actor: { type: 'api_key', id: 'key-1' },
      clientAddress: '192.0.2.10',
    });
    expect((await trail()).map((e) => e.type)).toEqual(['member.disconnected', 'member.connected']);
  });

  it('a refusal seen from Microsoft records member.connection_revoked once per change, by the service', async () => {
    const a = await w.member('adele');
    await w.signIn(a, account('adele'), profile('adele'));
    const record = (facts: MicrosoftFailureFacts) =>
      w.failures.execute({ workspaceId: w.ws, memberId: a, verdict: classifyMicrosoftFailure(facts) });
    await record({ graphStatus: 503 });
    w.clock.advance(1000);
    await record({ aadsts: [50076] });
    await record({ aadsts: [50076] });
    w.clock.advance(1000);
    await record({ aadsts: [70008], error: 'invalid_grant' });
    await record({ graphStatus: 401 });
    const events = (await trail()).filter((e) => e.type === 'member.connection_revoked');
    expect(events.map((e) => e.details)).toEqual([
      { status: 'revoked', reason: 'AADSTS70008' },
      { status: 'reauthorization_required', reason: 'AADSTS50076' },
    ]);
    for (const event of events) {
      expect(event).toMatchObject({ actor: { type: 'service' }, clientAddress: null });
    }
  });

  it('the application refused for the tenant records admin_consent.revoked once, and each connection', async () => {
    const names = ['adele', 'megan'];
    const ids: string[] = [];
    for (const name of names) {
      const id = await w.member(name);
      await w.signIn(id, account(name), profile(name));
      ids.push(id);
    }
    const facts: MicrosoftFailureFacts = { aadsts: [700016], error: 'unauthorized_client' };
    const verdict = classifyMicrosoftFailure(facts);
    await w.failures.execute({ workspaceId: w.ws, memberId: ids[0]!, verdict });
    await w.failures.execute({ workspaceId: w.ws, memberId: ids[1]!, verdict });
    const changes = (await summary()).filter((e) => e.type !== 'member.connected');
    expect(changes).toHaveLength(3);
    expect(changes).toEqual(
      expect.arrayContaining([
        {
          type: 'admin_consent.revoked',
          member: 'tenant-a',
          actor: { type: 'service' },
          details: { reason: 'AADSTS700016' },
        },
        ...ids.map((id) => ({
          type: 'member.connection_revoked',
          member: id,
          actor: { type: 'service' },
          details: { status: 'revoked', reason: 'AADSTS700016' },
        })),
      ]),
    );
    const consent = (await trail()).find((e) => e.type === 'admin_consent.revoked')!;
    expect(consent.object).toEqual({ type: 'microsoft_tenant', id: 'tenant-a' });
  });
});
