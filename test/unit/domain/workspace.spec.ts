// Workspace rules: validation, same-origin return URLs, tenant binding.
import { Workspace } from '@domain/workspace/workspace.js';
import { DomainError } from '@domain/shared/domain-error.js';
import { aWorkspace } from '../../builders/member.builder.js';

const now = new Date('2026-12-01T08:00:00Z');

describe('Workspace', () => {
  it('collects every field error at once', () => {
    const error = (() => {
      try {
        Workspace.create({ id: 'w', name: ' ', returnUrl: 'ftp://x', now });
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(error?.code).toBe('VALIDATION_FAILED');
    expect(error?.errors.map((e) => e.field)).toEqual(['name', 'returnUrl']);
  });

  it('lets a request choose a return URL of the same origin only (no open redirects)', () => {
    const ws = aWorkspace({ returnUrl: 'https://app.contoso.test/return' });
    expect(ws.resolveReturnUrl(undefined)).toBe('https://app.contoso.test/return');
    expect(ws.resolveReturnUrl('https://app.contoso.test/settings?tab=1')).toBe(
      'https://app.contoso.test/settings?tab=1',
    );
    for (const bad of [
      'https://evil.test/return',
      'http://app.contoso.test/return',
      'https://app.contoso.test:8443/x',
      '//evil.test',
      'javascript:alert(1)',
    ]) {
      expect(() => ws.resolveReturnUrl(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });

  it('may have no return URL: flows end on kailenty’s pages, and no request may name one', () => {
    const bare = Workspace.create({ id: 'w', name: 'Bare', now });
    expect(bare.returnUrl).toBeNull();
    expect(bare.resolveReturnUrl(undefined)).toBeNull();
    expect(bare.resolveReturnUrl('')).toBeNull();
    expect(() => bare.resolveReturnUrl('https://anywhere.test/x')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('binds to the first tenant and refuses another one after that', () => {
    const ws = aWorkspace();
    expect(ws.acceptsTenant('t1')).toBe(true);
    ws.bindTenant('t1', now);
    ws.bindTenant('t1', now);
    expect(ws.tenantId).toBe('t1');
    expect(ws.acceptsTenant('t2')).toBe(false);
    expect(() => ws.bindTenant('t2', now)).toThrow(expect.objectContaining({ code: 'TENANT_MISMATCH' }));
  });
});
