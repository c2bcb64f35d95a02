import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get } from '../../../api/client.ts';
import type { RecordData } from '../../../api/types.ts';

/**
 * GET /api/v1/crm/customers/:id/360 (modules/crm/customer-360): the profile,
 * contacts, one timeline newest first (`limit` entries, ≤ 500), counts per
 * kind, the open receivables and the key figures — money as decimal strings.
 */
export interface TimelineEntry {
  kind: string;
  object: string;
  id: string;
  at: string | null;
  title: string | null;
  record: RecordData;
}

export interface Customer360 {
  profile: RecordData;
  mergedFrom: string[];
  contacts: RecordData[];
  counts: Record<string, number>;
  timeline: TimelineEntry[];
  hidden: string[];
  /**
   * The company's currency, as the server summed the figures in (the caller's company's): orders, opportunities,
   * contracts, the key figures and a null currency below are in it.
   */
  currency: string;
  /**
   * Open invoices from the ledger: `outstanding` in the company's currency (foreign items at their booked amounts),
   * `byCurrency` one total per currency the invoices are written in (null = the company's). Each invoice entry's
   * record carries `outstanding` in its own currency and `outstandingCurrency`.
   */
  receivables: { outstanding: string; open: number; byCurrency?: { currency: string | null; outstanding: string; open: number }[] } | null;
  /** A figure is null where the caller may not read its object; a sum null where they may not read what it adds (or the opportunities' currency). */
  figures: {
    openOpportunities: { count: number; amount: string | null; weighted: string | null } | null;
    ordersThisYear: { count: number; total: string | null } | null;
  };
}

/**
 * Each open-receivables total in its own currency; the company-currency total when the API gives no breakdown.
 * `company` is the company's own currency (the reply's `currency`): amounts of records without a currency field
 * (orders, opportunities, contracts) and a null currency in the API are in it.
 */
export function receivableTotals(r: NonNullable<Customer360['receivables']>, company: string): { currency: string; outstanding: string }[] {
  if (!r.byCurrency?.length) return [{ currency: company, outstanding: r.outstanding }];
  return r.byCurrency.map((x) => ({ currency: x.currency ?? company, outstanding: x.outstanding }));
}

/** The timeline grows by this many entries per "load more", up to the API's 500. */
export const TIMELINE_PAGE = 20;
export const TIMELINE_MAX = 500;

export const customer360Path = (customerId: string) => `/crm/customers/${encodeURIComponent(customerId)}/360`;

export function useCustomer360(id: string | undefined, limit: number) {
  return useQuery({
    queryKey: ['crm-360', id, limit],
    queryFn: ({ signal }) => get<Customer360>(`/api/v1/crm/customers/${encodeURIComponent(id!)}/360?limit=${limit}`, signal),
    enabled: Boolean(id),
    placeholderData: keepPreviousData, // "load more" keeps the entries on screen while the longer page comes
  });
}

/** All the timeline may still show: the sum of the counts of the parts it reads. */
export function timelineTotal(view: Pick<Customer360, 'counts'>): number {
  return Object.values(view.counts).reduce((a, b) => a + b, 0);
}

/**
 * Where a global-search hit on a CRM record leads (来电弹屏): a customer opens its
 * 360° page; a contact opens its customer's (the contact's own page when it has none).
 */
export async function crmSearchDestination(object: string, id: string): Promise<string | null> {
  if (object === 'customer') return customer360Path(id);
  if (object === 'contact') {
    const contact = await get<RecordData>(`/api/v1/records/contact/${encodeURIComponent(id)}`);
    return typeof contact.customer === 'string' && contact.customer ? customer360Path(contact.customer) : null;
  }
  return null;
}
