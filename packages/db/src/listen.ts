import pg from 'pg';
import { APP_ROLE } from './config.ts';
import { acknowledgeBarrier, BARRIER_PREFIX, LISTEN_APPLICATION_NAME, registerListener } from './cache-barrier.ts';

/**
 * A LISTEN connection that comes back. Caches in every process (metadata,
 * access policies), the bell's live push and the outbox wake-up all hang on
 * one LISTEN connection each; when the database drops it (a restart, a
 * failover, pg_terminate_backend) a plain pg.Client stays dead and the process
 * silently stops hearing other processes' changes. This one reconnects with a
 * growing delay (up to `maxDelayMs`) and calls `onReconnect` once it listens
 * again, because notifications sent while it was away are lost: the caller
 * drops its caches or polls once.
 *
 * Every such connection also answers cache barriers (cache-barrier.ts, ADR 0012):
 * a `barrier:<n>` payload is not passed to `onNotify`; the connection records n
 * once the notifications before it have been handled.
 *
 *   const stop = await listenResilient(url, ['mosaic_meta'], (channel, payload) => store.invalidate(payload), () => store.invalidateAll());
 */
export interface ListenOptions {
  onReconnect?: () => void;
  /** Told about each lost connection (for a log line); the reconnecting is done here. */
  onLost?: (err: unknown) => void;
  maxDelayMs?: number;
}

export async function listenResilient(
  url: string,
  channels: string[],
  onNotify: (channel: string, payload: string | undefined) => void,
  opts: ListenOptions = {},
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let delay = 100;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    // Named, so operators (and tests) can find these connections in pg_stat_activity.
    const c = new pg.Client({ connectionString: url, options: `-c role=${APP_ROLE}`, application_name: LISTEN_APPLICATION_NAME });
    let lost = false;
    const onGone = (err: unknown) => {
      if (lost) return;
      lost = true;
      if (client === c) client = null;
      c.end().catch(() => {});
      if (stopped) return;
      opts.onLost?.(err);
      scheduleReconnect();
    };
    c.on('error', onGone);
    c.on('end', () => onGone(new Error('LISTEN connection ended')));
    c.on('notification', (n) => {
      // Notifications are emitted in the order they were read, and onNotify drops caches
      // synchronously: by the time a barrier is read, everything before it is handled.
      if (n.payload?.startsWith(BARRIER_PREFIX)) acknowledgeBarrier(c, n.payload);
      else onNotify(n.channel, n.payload);
    });
    await c.connect();
    for (const ch of channels) await c.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
    await registerListener(c, channels);
    client = c;
    delay = 100;
  };

  const scheduleReconnect = () => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      connect().then(() => opts.onReconnect?.(), (err) => {
        opts.onLost?.(err);
        delay = Math.min(delay * 2, opts.maxDelayMs ?? 5000);
        scheduleReconnect();
      });
    }, delay);
    timer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await client?.end().catch(() => {});
    client = null;
  };
}
