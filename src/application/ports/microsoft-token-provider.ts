// Access tokens for the Graph adapters.

/** Fresh access tokens for a member's Microsoft 365 account, for the Graph adapters. */
export abstract class MicrosoftTokenProvider {
  abstract accessToken(
    workspaceId: string,
    memberId: string,
    options?: { forceRefresh?: boolean },
  ): Promise<string>;
}
