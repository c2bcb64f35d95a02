import { logger, envNumber } from '@mosaic/kernel';
import { listenResilient } from '@mosaic/db';
import { listTenantIds } from '@mosaic/identity';
import type { AutomationDeps } from '../automation.types.ts';
import { consumeTenant } from './consumer.ts';
import type { Queue } from './queue.ts';

/**
 * Keeps the outbox consumer running: wakes on `NOTIFY mosaic_outbox '<tenant>'`
 * (sent on commit by a trigger on outbox_event), and polls every tenant now and
 * then in case a notification was missed (a dropped LISTEN connection). An
 * event committed behind an older running transaction is not readable yet
 * (outbox.ts), so a wake-up that finds nothing tries again shortly.
 */
export async function startOutboxListener(deps: AutomationDeps, queue: Queue, opts: { pollMs?: number; coalesceMs?: number; onEnqueued?: () => void } = {}): Promise<{ stop(): Promise<void>; kick(tenantId: string): void }> {
  const state = new Map<string, { running: Promise<void> | null; again: boolean; gathering: boolean; retries: number }>();
  // Every commit that writes a record NOTIFYs; a pass waits this long first, so the commits of
  // those milliseconds are read as one batch (one pass per ~document chain instead of per commit).
  const coalesceMs = opts.coalesceMs ?? envNumber('MOSAIC_OUTBOX_COALESCE_MS', 25, { zero: true });
  let stopped = false;
  const kick = (tenantId: string, retries = 6) => {
    if (stopped) return;
    const s = state.get(tenantId) ?? { running: null, again: false, gathering: false, retries: 0 };
    state.set(tenantId, s);
    s.retries = Math.max(s.retries, retries);
    if (s.running) {
      if (!s.gathering) s.again = true; // a pass about to read will see this event anyway
      return;
    }
    s.running = (async () => {
      do {
        s.again = false;
        if (coalesceMs > 0) {
          s.gathering = true;
          await new Promise((r) => setTimeout(r, coalesceMs));
          s.gathering = false;
        }
        try {
          const n = await consumeTenant(deps, queue, tenantId);
          if (n) opts.onEnqueued?.();
          else if (s.retries > 0) {
            s.retries--;
            await new Promise((r) => setTimeout(r, 50 * 2 ** (5 - s.retries)));
            s.again = !stopped;
          }
        } catch (e) {
          logger.error({ err: e, tenantId }, 'automation: consuming outbox events failed');
          await new Promise((r) => setTimeout(r, 1000));
        }
      } while (s.again && !stopped);
      s.running = null;
    })();
  };

  const unlisten = await listenResilient(deps.url, ['mosaic_outbox'], (_channel, tenantId) => {
    if (tenantId) kick(tenantId);
  }, {
    onLost: (err) => logger.warn({ err }, 'automation: LISTEN connection lost; polling until it is back'),
    onReconnect: () => void poll(), // events written while away were not announced
  });

  const poll = async () => {
    try {
      for (const t of await listTenantIds(deps.db)) kick(t, 0);
    } catch (e) {
      logger.error({ err: e }, 'automation: polling tenants failed');
    }
  };
  void poll();
  const timer = setInterval(poll, opts.pollMs ?? 5000);
  timer.unref();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...state.values()].map((s) => s.running));
      await unlisten();
    },
  };
}
