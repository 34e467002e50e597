// An API key authenticates a product team's calls and selects its workspace; only its hash is kept.
export interface ApiKeySnapshot {
  id: string;
  workspaceId: string;
  hash: string;
  /** The first characters of the key, safe to show so people can tell keys apart. */
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export const API_KEY_PREFIX = 'kly_';

export class ApiKey {
  private constructor(private state: ApiKeySnapshot) {}

  static issue(input: {
    id: string;
    workspaceId: string;
    plaintext: string;
    hash: string;
    now: Date;
  }): ApiKey {
    return new ApiKey({
      id: input.id,
      workspaceId: input.workspaceId,
      hash: input.hash,
      prefix: input.plaintext.slice(0, API_KEY_PREFIX.length + 6),
      createdAt: input.now,
      revokedAt: null,
    });
  }

  static fromSnapshot(snapshot: ApiKeySnapshot): ApiKey {
    return new ApiKey({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get workspaceId(): string {
    return this.state.workspaceId;
  }
  get isActive(): boolean {
    return this.state.revokedAt === null;
  }

  revoke(now: Date): void {
    if (this.state.revokedAt === null) this.state.revokedAt = now;
  }

  toSnapshot(): ApiKeySnapshot {
    return { ...this.state };
  }
}
