/**
 * How a step (one activation of an approval node) stands, from its tasks.
 * Pure, so each mode's arithmetic is tested on its own (step.rules.test.ts).
 *
 * Tasks are grouped by `seq`; a group opens when every group before it is
 * approved (managers level by level, approvers added before/after — 加签).
 * Within a group the node's mode decides:
 *   single, or_sign (或签)  the first decision decides
 *   countersign (会签)      all must approve; one rejection rejects
 *   percentage             approved when ≥ p % approve; rejected once p % is out of reach
 */
export type StepMode = 'single' | 'countersign' | 'or_sign' | 'percentage';
export type TaskStatus = 'waiting' | 'pending' | 'approved' | 'rejected' | 'returned' | 'transferred' | 'cancelled';

export interface TaskLite {
  id: string;
  seq: number;
  status: TaskStatus;
}

export interface StepOutcome {
  outcome: 'open' | 'approved' | 'rejected';
  /** Waiting tasks whose group is now open: make them pending. */
  activate: string[];
  /** Undecided tasks no longer needed: cancel them. */
  cancel: string[];
}

const UNDECIDED = new Set<TaskStatus>(['waiting', 'pending']);
const GONE = new Set<TaskStatus>(['transferred', 'cancelled']); // replaced by another task, or withdrawn

export function groupOutcome(mode: StepMode, percentage: number | null, tasks: TaskLite[]): StepOutcome['outcome'] {
  const n = tasks.length;
  const approved = tasks.filter((t) => t.status === 'approved').length;
  const rejected = tasks.filter((t) => t.status === 'rejected' || t.status === 'returned').length;
  const undecided = n - approved - rejected;
  switch (mode) {
    case 'single':
    case 'or_sign':
      return approved > 0 ? 'approved' : rejected > 0 ? 'rejected' : 'open';
    case 'countersign':
      return rejected > 0 ? 'rejected' : approved === n ? 'approved' : 'open';
    case 'percentage': {
      const p = percentage ?? 100;
      if (approved * 100 >= p * n) return 'approved';
      return (approved + undecided) * 100 < p * n ? 'rejected' : 'open';
    }
  }
}

export function stepOutcome(mode: StepMode, percentage: number | null, tasks: TaskLite[]): StepOutcome {
  const live = tasks.filter((t) => !GONE.has(t.status));
  const seqs = [...new Set(live.map((t) => t.seq))].sort((a, b) => a - b);
  const cancel: string[] = [];
  for (const seq of seqs) {
    const group = live.filter((t) => t.seq === seq);
    const outcome = groupOutcome(mode, percentage, group);
    if (outcome === 'rejected') {
      return { outcome, activate: [], cancel: live.filter((t) => UNDECIDED.has(t.status)).map((t) => t.id) };
    }
    if (outcome === 'open') {
      return { outcome, activate: group.filter((t) => t.status === 'waiting').map((t) => t.id), cancel };
    }
    cancel.push(...group.filter((t) => UNDECIDED.has(t.status)).map((t) => t.id));
  }
  return { outcome: 'approved', activate: [], cancel };
}
