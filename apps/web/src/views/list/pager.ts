import type { ListReply } from '../../api/types.ts';

/**
 * The total the pager pages over. The count of all matches comes in its own request (after the rows, on a
 * big table); until it does, what the rows already prove: the pages before this one, this page, and one
 * more row when the server said there is a next page — so "next" works before the count is known.
 */
export function pagerTotal(total: number | undefined | null, reply: ListReply | undefined, state: { page: number; pageSize: number }): number {
  if (typeof total === 'number') return total;
  if (!reply) return 0;
  return (state.page - 1) * state.pageSize + reply.data.length + (reply.nextCursor ? 1 : 0);
}
