import { useMe, ME_KEY } from './auth.ts';
import { queryClient } from './query-client.ts';
import type { Me } from './types.ts';

/**
 * The currency of the user's company (GET /auth/me `companyCurrency`, read once per session with the rest
 * of "me"): what a figure is shown in when it carries no currency of its own — a customer's 360 totals, a
 * forecast, a project portfolio, list and kanban totals of a money field without a default currency — and
 * what a new money value starts in. 'CNY' only before "me" has answered (the app shows no page until then).
 */
export const FALLBACK_CURRENCY = 'CNY';

/** For components: re-renders when "me" arrives or changes (another login). */
export function useCompanyCurrency(): string {
  return useMe().data?.companyCurrency ?? FALLBACK_CURRENCY;
}

/** For plain functions (form value conversion): the same value, read from the query cache. */
export function companyCurrency(): string {
  return queryClient.getQueryData<Me | null>(ME_KEY)?.companyCurrency ?? FALLBACK_CURRENCY;
}
