// Waiting for what happens in the background (a page's own requests, a room's answer and the sync that follows).

/** Retries `check` until it passes, every 50 ms for `ms` at most; then its last failure is thrown. */
export async function eventually(check: () => Promise<void> | void, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
