// One contract for how a free/busy read answers Microsoft withdrawing a member's access: as part of its
// result (`refusal`, the verdict in the domain's words), never as a side effect — the use case records it.
// An outage is not a refusal. Run on the in-memory fake and on the Graph adapter against the emulator.
import { withdrawsAccess } from '@domain/consent/microsoft-failure.js';
import type {
  FreeBusyGateway,
  HostSchedule,
  HostScheduleRequest,
} from '@application/ports/free-busy.gateway.js';

export interface MicrosoftRefusalsWorld {
  gateway: FreeBusyGateway;
  /** A connected member whose calendar reads well. */
  member(): Promise<HostScheduleRequest>;
  /** Microsoft withdraws the member's access (consent revoked, sessions revoked…) from now on. */
  revoke(request: HostScheduleRequest): Promise<void>;
  /** Microsoft 365 cannot answer for the member's calendar now (5xx beyond the retries). */
  outage(request: HostScheduleRequest): Promise<void>;
}

type Failed = Extract<HostSchedule, { ok: false }>;

export function microsoftRefusalsContract(name: string, setup: () => Promise<MicrosoftRefusalsWorld>) {
  describe(`Microsoft refusals as a free/busy result (${name})`, () => {
    let w: MicrosoftRefusalsWorld;
    beforeEach(async () => {
      w = await setup();
    });

    it('a member whose access is there reads without a refusal', async () => {
      const result = await w.gateway.hostSchedule(await w.member());
      expect(result.ok).toBe(true);
      expect(result).not.toHaveProperty('refusal');
    });

    it("a revoked member's schedule read answers CONSENT_REVOKED carrying a revoked verdict", async () => {
      const request = await w.member();
      await w.revoke(request);
      const result = (await w.gateway.hostSchedule(request)) as Failed;
      expect(result).toMatchObject({
        ok: false,
        code: 'CONSENT_REVOKED',
        refusal: { kind: 'revoked', tenantWide: false, reason: expect.any(String) },
      });
      expect(withdrawsAccess(result.refusal!)).toBe(true);
      // The verdict is the domain's words only: no status number, no AADSTS facts.
      expect(Object.keys(result.refusal!).sort()).toEqual(['kind', 'reason', 'tenantWide']);
    });

    it('an outage is not a refusal: MICROSOFT_UNAVAILABLE, nothing to record', async () => {
      const request = await w.member();
      await w.outage(request);
      const result = (await w.gateway.hostSchedule(request)) as Failed;
      expect(result).toMatchObject({ ok: false, code: 'MICROSOFT_UNAVAILABLE' });
      expect(result.refusal).toBeUndefined();
    });
  });
}
