import { crmSearchDestination } from '../pages/crm/customer-360/customer-360-api.ts';

/**
 * Where the header search sends a hit: its record page, unless the object's
 * area has a better place for it (a customer or contact → the customer's 360°
 * view). An area adds its resolver here; a resolver answering null, or
 * failing, leaves the record page.
 */
const RESOLVERS: Record<string, (object: string, id: string) => Promise<string | null>> = {
  customer: crmSearchDestination,
  contact: crmSearchDestination,
};

export async function searchDestination(object: string, id: string): Promise<string> {
  const recordPage = `/o/${object}/${id}`;
  const resolve = RESOLVERS[object];
  if (!resolve) return recordPage;
  try {
    return (await resolve(object, id)) ?? recordPage;
  } catch {
    return recordPage;
  }
}
