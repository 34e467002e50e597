// The free/busy fake answers Microsoft's refusals as the Graph adapter does.
import { randomUUID } from 'node:crypto';
import { FakeFreeBusyGateway } from '@adapters/in-memory/fake-free-busy.gateway.js';
import { microsoftRefusalsContract } from './microsoft-refusals.contract.js';

microsoftRefusalsContract('in-memory', async () => {
  const gateway = new FakeFreeBusyGateway();
  return {
    gateway,
    member: async () => {
      const memberId = randomUUID();
      return {
        workspaceId: randomUUID(),
        memberId,
        mailbox: `${memberId.slice(0, 8)}@contoso.com`,
        extraCalendars: [],
        start: Date.parse('2026-12-01T00:00:00Z'),
        end: Date.parse('2026-12-08T00:00:00Z'),
      };
    },
    revoke: async (request) => void gateway.refuse(request.memberId),
    outage: async (request) => void gateway.fail(request.mailbox, 'MICROSOFT_UNAVAILABLE'),
  };
});
