// Turns whatever MSAL throws into a MicrosoftError carrying the verdict on it, read from its AADSTS codes,
// OAuth error and suberror (a sign-in's refusals and a refresh's are read differently: see the classifier).
import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { MicrosoftError } from '@application/ports/identity-provider.js';
import {
  aadstsFrom,
  classifyMicrosoftFailure,
  classifySignInFailure,
  type MicrosoftFailureFacts,
} from '../microsoft-failure-classifier.js';

export function toMicrosoftError(
  error: unknown,
  extra: Partial<MicrosoftFailureFacts> = {},
  flow: 'sign_in' | 'refresh' = 'sign_in',
): MicrosoftError {
  if (error instanceof MicrosoftError) return error;
  const classify = flow === 'refresh' ? classifyMicrosoftFailure : classifySignInFailure;
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
    return new MicrosoftError(error.errorMessage || error.errorCode, classify(facts));
  }
  const message = error instanceof Error ? error.message : String(error);
  return new MicrosoftError(message, classify({ error: 'temporarily_unavailable', ...extra }));
}
