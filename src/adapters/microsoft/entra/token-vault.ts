// Where MSAL's token caches are kept, one per member and account (the database adapter is
// persistence/encrypted-token-vault.ts, which seals them at rest).

export interface VaultKey {
  workspaceId: string;
  memberId: string;
  homeAccountId: string;
}

export abstract class TokenVault {
  abstract load(key: VaultKey): Promise<string | null>;
  abstract save(key: VaultKey, serializedCache: string): Promise<void>;
  /** Deletes the member's caches, or only one account's when `homeAccountId` is given. */
  abstract delete(workspaceId: string, memberId: string, homeAccountId?: string): Promise<void>;
}
