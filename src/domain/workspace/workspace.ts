// A workspace is one customer of kailenty: its API keys, members and (later) its Microsoft 365 tenant.
import { DomainError } from '../shared/domain-error.js';
import { Checks, parseHttpUrl } from '../shared/validation.js';

export interface WorkspaceSnapshot {
  id: string;
  name: string;
  /** Where browser flows land afterwards; null: on kailenty's own result pages. */
  returnUrl: string | null;
  tenantId: string | null;
  reminderMinutes: number;
  createdAt: Date;
  updatedAt: Date;
}

export class Workspace {
  private constructor(private state: WorkspaceSnapshot) {}

  static create(input: { id: string; name: string; returnUrl?: string | null; now: Date }): Workspace {
    const returnUrl = input.returnUrl ?? null;
    new Checks()
      .text(input.name, 'name', 200)
      .require(
        returnUrl === null || parseHttpUrl(returnUrl) !== null,
        'returnUrl',
        'must be an absolute http(s) URL',
      )
      .throwIfAny();
    return new Workspace({
      id: input.id,
      name: input.name.trim(),
      returnUrl,
      tenantId: null,
      reminderMinutes: 60,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }

  static fromSnapshot(snapshot: WorkspaceSnapshot): Workspace {
    return new Workspace({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get name(): string {
    return this.state.name;
  }
  get returnUrl(): string | null {
    return this.state.returnUrl;
  }
  get tenantId(): string | null {
    return this.state.tenantId;
  }

  /**
   * A request's return URL wins over the workspace's but must share its origin, so that no flow of
   * ours can be turned into an open redirect. Null (neither gives one): the flow ends on kailenty's own
   * result page. A workspace without a return URL has no origin to trust, so it accepts none.
   */
  resolveReturnUrl(requested: string | undefined | null, field = 'returnUrl'): string | null {
    if (requested === undefined || requested === null || requested === '') return this.state.returnUrl;
    const url = parseHttpUrl(requested);
    if (!this.state.returnUrl) {
      throw DomainError.validation([
        {
          field,
          message: 'the workspace has no returnUrl: set one first (its origin is the only one accepted here)',
        },
      ]);
    }
    if (!url || url.origin !== new URL(this.state.returnUrl).origin) {
      throw DomainError.validation([
        { field, message: "must have the same origin as the workspace's returnUrl" },
      ]);
    }
    return url.toString();
  }

  /** Binds the workspace to a Microsoft 365 tenant; once bound, another tenant is a mismatch. */
  bindTenant(tenantId: string, now: Date): void {
    if (this.state.tenantId === tenantId) return;
    if (this.state.tenantId !== null) {
      throw new DomainError('TENANT_MISMATCH', 'This workspace is bound to another Microsoft 365 tenant.');
    }
    this.state.tenantId = tenantId;
    this.state.updatedAt = now;
  }

  get reminderMinutes(): number {
    return this.state.reminderMinutes;
  }

  /** Settings a workspace manages itself. */
  update(changes: { name?: string; returnUrl?: string; reminderMinutes?: number }, now: Date): void {
    const checks = new Checks();
    if (changes.name !== undefined) checks.text(changes.name, 'name', 200);
    if (changes.returnUrl !== undefined)
      checks.require(
        parseHttpUrl(changes.returnUrl) !== null,
        'returnUrl',
        'must be an absolute http(s) URL',
      );
    if (changes.reminderMinutes !== undefined)
      checks.require(
        Number.isInteger(changes.reminderMinutes) &&
          changes.reminderMinutes >= 0 &&
          changes.reminderMinutes <= 10_080,
        'reminderMinutes',
        'must be a whole number of minutes from 0 to 10080 (0: no reminders)',
      );
    checks.throwIfAny();
    if (changes.name !== undefined) this.state.name = changes.name.trim();
    if (changes.returnUrl !== undefined) this.state.returnUrl = changes.returnUrl;
    if (changes.reminderMinutes !== undefined) this.state.reminderMinutes = changes.reminderMinutes;
    this.state.updatedAt = now;
  }

  acceptsTenant(tenantId: string): boolean {
    return this.state.tenantId === null || this.state.tenantId === tenantId;
  }

  toSnapshot(): WorkspaceSnapshot {
    return { ...this.state };
  }
}
