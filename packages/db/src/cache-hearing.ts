import { listenResilient } from './listen.ts';

/**
 * Whether a process-local cache may serve from memory: it may while its LISTEN
 * connection hears every change (ADR 0012). The metadata, policy and session
 * caches each hold one; before, each tracked "my listener is connected" its own
 * way (a flag, a counter, nothing at all for metadata).
 *
 * - While a started listener is lost, nothing is cached (changes go unheard) and
 *   everything cached is dropped; it is dropped again once the listener is back,
 *   since what was sent meanwhile is lost.
 * - With no listener started (tests, scripts, tools) the cache says what it does:
 *   `whenUnlistened: 'cache'` keeps caching (this process's own services drop
 *   what they change), `'bypass'` reads the database every time (a cache whose
 *   changes are mostly made elsewhere, such as sessions).
 *
 *   const hearing = new CacheHearing('cache');
 *   if (hearing.canCache()) ... else load();
 *   const stop = await hearing.listen(url, ['mosaic_meta'], (payload) => dropTenant(payload), () => dropAll());
 */
export class CacheHearing {
  /** Listeners started and not stopped (a process may hold several, e.g. tests with two apps). */
  private started = 0;
  /** Of those, how many are lost right now. */
  private lost = 0;

  constructor(private readonly whenUnlistened: 'cache' | 'bypass') {}

  canCache(): boolean {
    if (this.lost > 0) return false;
    return this.started > 0 || this.whenUnlistened === 'cache';
  }

  /** True while at least one listener is started and none is lost. */
  hearing(): boolean {
    return this.started > 0 && this.lost === 0;
  }

  /**
   * Starts a resilient LISTEN on `channels`: `onNotify` gets each payload (the
   * tenant id by convention, '' when none); `dropAll` runs when the connection is
   * lost and again when it is back.
   */
  async listen(url: string, channels: string[], onNotify: (payload: string, channel: string) => void, dropAll: () => void): Promise<() => Promise<void>> {
    let isLost = false;
    const stop = await listenResilient(url, channels, (channel, payload) => onNotify(payload ?? '', channel), {
      // Called for the loss and again for each failed reconnect attempt: count it once.
      onLost: () => {
        if (!isLost) this.lost++;
        isLost = true;
        dropAll();
      },
      onReconnect: () => {
        dropAll();
        if (isLost) this.lost--;
        isLost = false;
      },
    });
    this.started++;
    let stopped = false;
    return async () => {
      if (stopped) return;
      stopped = true;
      if (isLost) this.lost--;
      isLost = false;
      this.started--;
      await stop();
      // Unheard from now on: nothing kept may be served if a listener starts again later.
      dropAll();
    };
  }
}
