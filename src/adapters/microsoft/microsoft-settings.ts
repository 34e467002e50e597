// The settings every Microsoft adapter shares: the app registration, the hosts, and the CAs to trust.
export interface MicrosoftSettings {
  clientId: string;
  clientSecret: string;
  /** https://login.microsoftonline.com, or the emulator. */
  authorityHost: string;
  /** https://graph.microsoft.com, or the emulator (without /v1.0). */
  graphUrl: string;
  /** PUBLIC_URL: base of the redirect URIs. */
  publicUrl: string;
  /** Extra CA certificates to trust for these hosts (the emulator's, in sandbox and tests). */
  extraCaPem?: string;
}

export const MEMBER_CALLBACK_PATH = '/oauth/microsoft/callback';
export const ADMIN_CONSENT_CALLBACK_PATH = '/oauth/microsoft/admin-consent/callback';

export function memberRedirectUri(settings: MicrosoftSettings): string {
  return settings.publicUrl + MEMBER_CALLBACK_PATH;
}

export function adminConsentRedirectUri(settings: MicrosoftSettings): string {
  return settings.publicUrl + ADMIN_CONSENT_CALLBACK_PATH;
}
