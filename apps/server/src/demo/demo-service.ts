import { SLA_POLICIES, TICKET_SUBJECTS } from './demo-catalogue.ts';
import type { Api } from './demo-api.ts';

/**
 * The service desk (客服工单): the SLA policies, and each month customers'
 * tickets answered, resolved and closed by the service team — except in the
 * last month, where some are still open: those unanswered run into their SLA
 * and the scheduled SLA check marks them breached and escalates them.
 *
 * A ticket's opening time and its SLA clock are the server's clock (the API
 * takes no back-dated created_at), so every generated ticket is opened now;
 * the month shows in its subject. The cockpit's SLA gauge counts this month's tickets.
 */
export async function serviceMaster(api: Api): Promise<void> {
  for (const p of SLA_POLICIES) await api('POST', '/api/v1/records/sla_policy', p);
}

export interface ServiceMonth { tickets: number; closed: number; open: number }

export async function ticketsOfMonth(api: Api, customers: string[], rnd: () => number, n: number, month: string, last: boolean): Promise<ServiceMonth> {
  const out: ServiceMonth = { tickets: 0, closed: 0, open: 0 };
  for (let i = 0; i < n; i++) {
    const ticket = await api('POST', '/api/v1/records/ticket', {
      subject: `${TICKET_SUBJECTS[Math.floor(rnd() * TICKET_SUBJECTS.length)]}（${month}）`, customer: customers[Math.floor(rnd() * customers.length)],
      channel: ['phone', 'email', 'web'][Math.floor(rnd() * 3)], priority: rnd() < 0.2 ? 'urgent' : 'normal', category: '售后',
    });
    out.tickets++;
    // In the last month a third are still waiting (no answer yet: they breach their SLA).
    if (last && rnd() < 0.35) {
      out.open++;
      continue;
    }
    await api('POST', `/api/v1/crm/tickets/${ticket.id}/respond`);
    await api('POST', `/api/v1/crm/tickets/${ticket.id}/resolve`);
    await api('POST', `/api/v1/crm/tickets/${ticket.id}/close`);
    out.closed++;
  }
  return out;
}
