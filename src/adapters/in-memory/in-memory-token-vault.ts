// MSAL's token caches in memory, for unit tests.
import { TokenVault, type VaultKey } from '../microsoft/entra/token-vault.js';

export class InMemoryTokenVault extends TokenVault {
  private readonly rows = new Map<string, string>();
  private id(key: VaultKey): string {
    return `${key.workspaceId}/${key.memberId}/${key.homeAccountId}`;
  }
  async load(key: VaultKey): Promise<string | null> {
    return this.rows.get(this.id(key)) ?? null;
  }
  async save(key: VaultKey, serializedCache: string): Promise<void> {
    this.rows.set(this.id(key), serializedCache);
  }
  async delete(workspaceId: string, memberId: string, homeAccountId?: string): Promise<void> {
    const prefix = `${workspaceId}/${memberId}/${homeAccountId ?? ''}`;
    for (const id of [...this.rows.keys()])
      if (homeAccountId ? id === prefix : id.startsWith(prefix)) this.rows.delete(id);
  }
}
