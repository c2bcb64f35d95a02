import { logger } from '@mosaic/kernel';
import { listenResilient } from '@mosaic/db';

export type Push = (event: Record<string, unknown>) => void;

/**
 * Live push for the bell: one LISTEN connection per process on
 * `mosaic_notification` (a trigger NOTIFYs every insert, on commit), fanned out
 * in memory to the SSE streams open in this process. A notification written
 * by any process — a worker, another API server — reaches the user's streams
 * wherever they are connected.
 */
export class NotificationHub {
  private readonly subscribers = new Map<string, Set<Push>>();
  private unlisten: (() => Promise<void>) | null = null;

  async start(url: string): Promise<void> {
    // Pushes missed while the connection was away are not replayed: the bell's list is read
    // from the table when the user opens it; the stream just resumes.
    this.unlisten = await listenResilient(url, ['mosaic_notification'], (channel, payload) => {
      if (channel !== 'mosaic_notification' || !payload) return;
      try {
        const n = JSON.parse(payload) as Record<string, unknown>;
        for (const push of this.subscribers.get(`${n.tenantId}:${n.userId}`) ?? []) push(n);
      } catch (e) {
        logger.warn({ err: e }, 'notification hub: bad payload');
      }
    }, { onLost: (err) => logger.warn({ err }, 'notification hub: LISTEN connection lost; reconnecting') });
  }

  subscribe(tenantId: string, userId: string, push: Push): () => void {
    const key = `${tenantId}:${userId}`;
    const set = this.subscribers.get(key) ?? new Set();
    set.add(push);
    this.subscribers.set(key, set);
    return () => {
      set.delete(push);
      if (!set.size) this.subscribers.delete(key);
    };
  }

  async stop(): Promise<void> {
    this.subscribers.clear();
    await this.unlisten?.();
    this.unlisten = null;
  }
}

const hubs = new Map<string, Promise<NotificationHub>>();

/** The process's hub for this database, started on first use. */
export function hubFor(url: string): Promise<NotificationHub> {
  let h = hubs.get(url);
  if (!h) {
    const hub = new NotificationHub();
    h = hub.start(url).then(() => hub);
    h.catch(() => hubs.delete(url));
    hubs.set(url, h);
  }
  return h;
}

export async function stopHub(url: string): Promise<void> {
  const h = hubs.get(url);
  hubs.delete(url);
  if (h) await (await h).stop();
}
