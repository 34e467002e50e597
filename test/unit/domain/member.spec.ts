// Member rules: invitation, changes, the active check.
import { Member } from '@domain/member/member.js';
import { aMember } from '../../builders/member.builder.js';

const now = new Date('2026-12-01T08:00:00Z');

describe('Member', () => {
  it('starts pending, trimmed, and refuses bad emails, names and roles', () => {
    const m = Member.invite({
      id: 'm',
      workspaceId: 'w',
      email: ' a@b.co ',
      displayName: ' A ',
      role: 'member',
      now,
    });
    expect(m.toSnapshot()).toMatchObject({ email: 'a@b.co', displayName: 'A', status: 'pending' });
    expect(() =>
      Member.invite({
        id: 'm',
        workspaceId: 'w',
        email: 'nope',
        displayName: '',
        role: 'owner' as never,
        now,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [
          expect.objectContaining({ field: 'email' }),
          expect.objectContaining({ field: 'displayName' }),
          expect.objectContaining({ field: 'role' }),
        ],
      }),
    );
  });

  it('is active only when activated, and says so with ACCOUNT_NOT_ACTIVE', () => {
    const m = aMember();
    expect(() => m.assertActive()).toThrow(expect.objectContaining({ code: 'ACCOUNT_NOT_ACTIVE' }));
    m.change({ status: 'active' }, now);
    expect(() => m.assertActive()).not.toThrow();
    m.change({ status: 'disabled' }, now);
    expect(m.isActive).toBe(false);
  });

  it('applies no part of a change that has an invalid part', () => {
    const m = aMember({ displayName: 'Before' });
    expect(() => m.change({ displayName: 'After', status: 'pending' as never }, now)).toThrow();
    expect(m.toSnapshot().displayName).toBe('Before');
  });

  it('compares emails case-insensitively', () => {
    expect(aMember({ email: 'Adele@Contoso.com' }).hasEmail('adele@contoso.COM')).toBe(true);
  });
});
