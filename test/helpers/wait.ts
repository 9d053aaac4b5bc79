/** Polls `probe` every 10 ms until it gives something truthy, which it returns; fails after `ms`. */
export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, ms = 4000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
