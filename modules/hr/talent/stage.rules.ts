import { AppError, Decimal } from '@mosaic/kernel';

/** Which stage may follow which. Moving back one step is allowed (a review sent back); skipping ahead is not. */
export const STAGE_MOVES: Record<'appraisal' | 'candidate', Record<string, string[]>> = {
  appraisal: { draft: ['self_review'], self_review: ['manager_review', 'draft'], manager_review: ['done', 'self_review'], done: [] },
  candidate: {
    applied: ['screening', 'rejected'], screening: ['interview', 'rejected'], interview: ['offer', 'rejected', 'screening'],
    offer: ['hired', 'rejected'], hired: [], rejected: ['screening'],
  },
};

export function assertStageMoveOrThrow(object: 'appraisal' | 'candidate', from: string, to: unknown): string {
  const moves = STAGE_MOVES[object];
  if (typeof to !== 'string' || !(to in moves)) throw new AppError('FIELD_INVALID', `stage: one of ${Object.keys(moves).join(', ')}`, { field: 'stage' });
  if (!moves[from]?.includes(to)) {
    throw new AppError('CONFLICT', `stage: a ${object} in ${from} can move to ${moves[from]?.join(', ') || 'nothing'}, not ${to}`, { field: 'stage' });
  }
  return to;
}

/** An appraisal is finished only when its goals' weights add up to 100 % and every goal has the manager's score. */
export function assertAppraisalCompleteOrThrow(goals: { weight: unknown; manager_score: unknown }[]): void {
  if (!goals.length) throw new AppError('FIELD_REQUIRED', 'goals: an appraisal needs at least one goal', { field: 'goals' });
  const total = goals.reduce((s, g) => s.plus((g.weight as string) ?? 0), new Decimal(0));
  if (!total.equals(1)) throw new AppError('FIELD_INVALID', `goals: the weights add up to ${total.times(100).toFixed(0)} %, not 100 %`, { field: 'goals' });
  const unscored = goals.findIndex((g) => g.manager_score === null || g.manager_score === undefined);
  if (unscored >= 0) throw new AppError('FIELD_REQUIRED', `goals.${unscored}.manager_score: the manager has not scored this goal`, { field: `goals.${unscored}.manager_score` });
}
