// Links handed to people (an administrator, a member who must reconnect) that pass through kailenty,
// valid for days, so that the short-lived OAuth state is only created when the link is followed; and the
// short-lived links to kailenty's result pages, which say what a browser flow ended with (a returnUrl of
// null: no product page to go back to). Signed, so a result page shows only what the service decided.
export type ConsentLink =
  | { kind: 'admin_consent'; workspaceId: string; tenant: string | null; returnUrl: string | null }
  | {
      kind: 'reconnect';
      workspaceId: string;
      memberId: string;
      returnUrl: string | null;
      /** When the link was made (epoch ms): a sign-in since then has repaired what it was for. */
      issuedAt: number;
    }
  | {
      kind: 'connection_result';
      workspaceId: string;
      memberId: string;
      /** 'connected' or the refusal's code. */
      result: string;
    }
  | {
      kind: 'admin_consent_result';
      workspaceId: string;
      /** 'admin_consent_granted' or the refusal's code. */
      result: string;
      tenantId: string | null;
      /** The tenant the consent link named, so that "try again" can make the same link. */
      tenant: string | null;
      message: string | null;
    };

export const CONSENT_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** A result page can be reloaded for a while, then says to look at the status in the product instead. */
export const RESULT_LINK_TTL_MS = 30 * 60 * 1000;

export abstract class ConsentLinks {
  /** An absolute URL of this service that starts the flow when followed. */
  abstract create(link: ConsentLink, expiresAt: Date): string;
  /** The link's content, or null when it is forged or expired. */
  abstract open(token: string, now: Date): ConsentLink | null;
}
