import { logger } from '@mosaic/kernel';

/**
 * Runs jobs in the background of this process and knows which are still
 * running, so the server can wait for them when it closes. (A durable,
 * multi-process queue — pg-boss or graphile-worker, DESIGN.md — replaces this
 * when jobs must survive a restart.)
 */
export class JobRunner {
  private readonly running = new Set<Promise<void>>();

  start(name: string, run: () => Promise<void>): void {
    const p: Promise<void> = run()
      .catch((err) => logger.error({ err, job: name }, 'background job crashed'))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  get size(): number {
    return this.running.size;
  }

  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
