// Turns whatever MSAL throws into the facts the domain classifies (AADSTS codes, OAuth error, suberror).
import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import type { MicrosoftFailureFacts } from '@domain/consent/microsoft-failure.js';
import { MicrosoftError } from '@application/ports/identity-provider.js';

export function aadstsFrom(text: string | undefined): number[] {
  return [...new Set([...(text ?? '').matchAll(/AADSTS(\d+)/g)].map((m) => Number(m[1])))];
}

export function toMicrosoftError(error: unknown, extra: Partial<MicrosoftFailureFacts> = {}): MicrosoftError {
  if (error instanceof MicrosoftError) return error;
  if (error instanceof AuthError) {
    const errorNo = (error as ServerError).errorNo;
    const aadsts = aadstsFrom(`${error.errorMessage} ${errorNo ? `AADSTS${errorNo}` : ''}`);
    const network = /network|endpoints_resolution|openid_config|timed?_?out|ECONN|fetch failed/i.test(
      `${error.errorCode} ${error.errorMessage}`,
    );
    const facts: MicrosoftFailureFacts = {
      error: network ? 'temporarily_unavailable' : error.errorCode,
      suberror: error.subError || undefined,
      aadsts,
      claimsChallenge: error instanceof InteractionRequiredAuthError && Boolean(error.claims),
      ...extra,
    };
    return new MicrosoftError(error.errorMessage || error.errorCode, facts);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new MicrosoftError(message, { error: 'temporarily_unavailable', ...extra });
}
