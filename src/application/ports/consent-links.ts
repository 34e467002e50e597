// Links handed to people (an administrator, a member who must reconnect) that pass through kailenty,
// valid for days, so that the short-lived OAuth state is only created when the link is followed.
export type ConsentLink =
  | { kind: 'admin_consent'; workspaceId: string; tenant: string | null; returnUrl: string }
  | {
      kind: 'reconnect';
      workspaceId: string;
      memberId: string;
      returnUrl: string;
      /** When the link was made (epoch ms): a sign-in since then has repaired what it was for. */
      issuedAt: number;
    };

export const CONSENT_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export abstract class ConsentLinks {
  /** An absolute URL of this service that starts the flow when followed. */
  abstract create(link: ConsentLink, expiresAt: Date): string;
  /** The link's content, or null when it is forged or expired. */
  abstract open(token: string, now: Date): ConsentLink | null;
}
