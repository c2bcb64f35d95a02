import { logger } from '@mosaic/kernel';
import { startWorkers } from '@mosaic/automation';
import { startApprovalTimeoutSweeper } from '@mosaic/approval';
import { startAlertWorker } from '@mosaic/reporting';
import type { Runtime } from './runtime.ts';
import { activateModules } from './modules.ts';

/**
 * The work a Mosaic process does without a request: the rules engine (outbox
 * consumer, job-queue workers, schedules), approval timeouts and KPI alerts.
 * A `worker` or `all` process runs it; an `api` process does not. Each part is
 * safe with several workers on one database: jobs are claimed with SKIP LOCKED
 * (pg-boss), schedules and sweeps take advisory locks, actions are keyed.
 */
export interface Background {
  stop(): Promise<void>;
}

export async function startBackground(runtime: Runtime): Promise<Background> {
  // The modules' hooks, actions and notifiers, as in an API process (buildApp): a `worker` process builds no app,
  // and without them its rules could not run a module's action (finance_depreciation, crm_pool_recycle …), its
  // writes would skip the modules' document hooks (postings to the books), and approvals it starts rang no bell.
  activateModules();
  const approvalSweeper = startApprovalTimeoutSweeper({ db: runtime.db, store: runtime.store });
  const stopAlerts = startAlertWorker({ db: runtime.db, store: runtime.store });
  const workers = await startWorkers(runtime);
  logger.info('background work started (rules, approval timeouts, alerts)');
  return {
    async stop() {
      await workers.stop();
      await stopAlerts();
      await approvalSweeper.stop();
    },
  };
}
