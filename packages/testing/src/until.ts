/** Polls a condition a listener or a background worker will make true; throws after `ms`. */
export async function until(what: () => boolean, ms = 10_000, everyMs = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
