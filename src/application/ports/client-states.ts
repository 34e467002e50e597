// The secret each Graph subscription carries, to tell Graph's notifications from forged ones.

/** Client states: a random value handed to Graph, kept as a hash and compared in constant time. */
export abstract class ClientStates {
  abstract issue(): { value: string; hash: string };
  abstract matches(value: string | null, hash: string | null): boolean;
}
