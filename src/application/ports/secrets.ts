// Generates and hashes the high-entropy secrets we hand out (API keys); only hashes are stored.
export abstract class Secrets {
  abstract newApiKey(): string;
  abstract hash(secret: string): string;
}
