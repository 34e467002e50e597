// Generates and hashes the high-entropy secrets we hand out (API keys); only hashes are stored.
export abstract class Secrets {
  abstract newApiKey(): string;
  abstract hash(secret: string): string;
  /** An unguessable URL-safe token (OAuth state, client state). */
  abstract randomToken(bytes?: number): string;
}
