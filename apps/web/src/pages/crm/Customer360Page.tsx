import { useMemo, useState } from 'react';
import { Button, Card, Col, Descriptions, List, Row, Space, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useObjects } from '../../api/meta.ts';
import { useRecordList } from '../../api/records.ts';
import type { ObjectMeta, RecordData } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, PageSkeleton } from '../../components/States.tsx';
import { fieldPaths } from '../../fields/display-paths.ts';
import { FieldValue } from '../../fields/FieldValue.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { formatDateTime, formatMoney, isMoneyValue, type Lang } from '../../lib/format.ts';
import { useIsMobile } from '../../lib/useIsMobile.ts';
import {
  receivableTotals, TIMELINE_MAX, TIMELINE_PAGE, timelineTotal, useCustomer360, type Customer360, type TimelineEntry,
} from './customer-360/customer-360-api.ts';
import { RelatedTable } from './customer-360/RelatedTable.tsx';
import './customer-360/customer-360.css';

/**
 * /crm/customers/:id/360 — 客户 360° 视图: who the customer is (tier, owner,
 * contacts), what it owes and buys (open receivables from the ledger, open
 * opportunities and their weighted value, this year's orders — exact decimal
 * strings from the API), one timeline of everything linked to it, and its open
 * opportunities, orders and tickets. On a phone every part stacks.
 */
export default function Customer360Page() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const objects = useObjects();
  const [limit, setLimit] = useState(TIMELINE_PAGE);
  const view = useCustomer360(id, limit);
  if (view.isError) return <ErrorState error={view.error} onRetry={() => void view.refetch()} />;
  if (!view.data || !objects.data || !id) return <PageSkeleton rows={10} />;
  const all = objects.data;
  return (
    <div className="crm360">
      <PageHeader
        back={<Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} onClick={() => navigate(`/o/customer/${id}`)} />}
        title={<span data-testid="crm360-title">{String(view.data.profile.name ?? '')}</span>}
        extra={<Link to={`/o/customer/${id}`} data-testid="crm360-record">{t('crm360.record')}</Link>}
      />
      <Profile id={id} view={view.data} objects={all} />
      <KeyFigures view={view.data} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Timeline view={view.data} objects={all} loading={view.isFetching} canMore={view.data.timeline.length >= limit && limit < TIMELINE_MAX && view.data.timeline.length < timelineTotal(view.data)}
            onMore={() => setLimit((n) => Math.min(n + TIMELINE_PAGE, TIMELINE_MAX))} />
        </Col>
        <Col xs={24} lg={10}>
          <Sections customerId={id} objects={all} />
        </Col>
      </Row>
    </div>
  );
}

function Profile({ id, view, objects }: { id: string; view: Customer360; objects: ObjectMeta[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const customer = objects.find((o) => o.apiName === 'customer');
  const shown = useMemo(() => (customer ? customer.fields.filter((f) => ['tier', 'owner_id', 'industry', 'phone', 'email'].includes(f.apiName)) : []), [customer]);
  // Names of linked records (the owner's name) come from the list endpoint's field paths, as on the record page.
  const titled = useRecordList('customer', { filter: { field: 'id', op: 'eq', value: id }, fields: fieldPaths(shown, objects), pageSize: 1, total: false }, shown.length > 0);
  const record: RecordData = { ...view.profile, ...(titled.data?.data[0] ?? {}) };
  return (
    <Card size="small" className="crm360-card" data-testid="crm360-profile">
      <Descriptions column={mobile ? 1 : 3} size="small">
        {shown.map((f) => (
          <Descriptions.Item key={f.apiName} label={labelOf(f.label, lang)}>
            <span data-field={f.apiName}><FieldValue field={f} record={record} objects={objects} /></span>
          </Descriptions.Item>
        ))}
      </Descriptions>
      <Typography.Text type="secondary" className="crm360-contacts-label">{t('crm360.contacts')}</Typography.Text>
      <div className="crm360-contacts" data-testid="crm360-contacts">
        {view.contacts.length === 0 && <span className="muted">{t('common.none')}</span>}
        {view.contacts.map((c) => (
          <Link key={c.id} to={`/o/contact/${c.id}`} className="crm360-contact" data-testid="crm360-contact">
            <strong>{String(c.name ?? '')}</strong>{c.title ? ` · ${String(c.title)}` : ''}{c.phone ? ` · ${String(c.phone)}` : ''}
          </Link>
        ))}
      </div>
    </Card>
  );
}

function Figure({ label, value, sub, testId }: { label: string; value: React.ReactNode; sub?: string; testId: string }) {
  return (
    <Col xs={24} sm={12} lg={6}>
      <Card size="small" className="crm360-figure" data-testid={testId}>
        <div className="crm360-figure-label">{label}</div>
        <div className="crm360-figure-value" data-testid={`${testId}-value`}>{value}</div>
        {sub && <div className="crm360-figure-sub">{sub}</div>}
      </Card>
    </Col>
  );
}

/** The key figures, each as the API sums it (exact decimal strings, formatted without becoming floats); "—" where the caller may not read that part. */
function KeyFigures({ view }: { view: Customer360 }) {
  const { t } = useTranslation();
  const lang = useLang();
  // The key figures are summed in the company's currency (the server converts opportunities in other currencies).
  const company = view.currency;
  const money = (v: string | null) => (v === null ? '—' : formatMoney(v, company, lang));
  const { openOpportunities: opp, ordersThisYear: orders } = view.figures;
  // Receivables in several currencies are shown side by side, one total each, never added up.
  const owed = view.receivables ? receivableTotals(view.receivables, company) : null;
  return (
    <Row gutter={[16, 16]} className="crm360-figures">
      <Figure testId="crm360-outstanding" label={t('crm360.outstanding')}
        value={owed ? owed.map((x, i) => (
          <span key={x.currency} data-testid={`crm360-outstanding-${x.currency}`}>{i > 0 ? ' + ' : ''}{formatMoney(x.outstanding, x.currency, lang)}</span>
        )) : '—'}
        sub={view.receivables ? t('crm360.openInvoices', { count: view.receivables.open }) : undefined} />
      <Figure testId="crm360-opportunities" label={t('crm360.openOpportunities')}
        value={opp ? String(opp.count) : '—'} sub={opp?.amount != null ? t('crm360.amountOf', { amount: money(opp.amount) }) : undefined} />
      <Figure testId="crm360-weighted" label={t('crm360.weighted')} value={opp ? money(opp.weighted) : '—'} />
      <Figure testId="crm360-orders" label={t('crm360.ordersThisYear')}
        value={orders ? String(orders.count) : '—'} sub={orders?.total != null ? t('crm360.amountOf', { amount: money(orders.total) }) : undefined} />
    </Row>
  );
}

/** A few fields that say what an entry is, per kind (the record's page has the rest). */
const SUMMARY: Record<string, string[]> = {
  activity: ['kind', 'content'],
  opportunity: ['amount', 'probability'],
  quote: ['status', 'grand_total'],
  ticket: ['priority', 'state'],
  campaign_message: ['state'],
  contract: ['amount', 'state'],
  sales_order: ['status', 'grand_total'],
  sales_invoice: ['status', 'grand_total'],
  delivery_note: ['status', 'posting_date'],
  payment: ['payment_type', 'amount'],
};

/**
 * Amounts of the summaries, shown in their own currency: a money amount's (an opportunity's), else the record's
 * `currency` (a quote, an invoice, a payment have one), else the company's.
 */
const AMOUNTS = ['grand_total', 'amount'];
const currencyOf = (r: RecordData, company: string) => (typeof r.currency === 'string' && r.currency ? r.currency : company);
const amountText = (r: RecordData, field: string, company: string, lang: Lang) => {
  const v = r[field];
  return isMoneyValue(v) ? formatMoney(v.amount, v.currency || company, lang) : formatMoney(v, currencyOf(r, company), lang);
};

function Timeline({ view, objects, loading, canMore, onMore }: { view: Customer360; objects: ObjectMeta[]; loading: boolean; canMore: boolean; onMore: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const company = view.currency;
  const byName = useMemo(() => new Map(objects.map((o) => [o.apiName, o])), [objects]);
  const summary = (e: TimelineEntry) => {
    const obj = byName.get(e.object);
    const fields = (SUMMARY[e.object] ?? []).map((n) => obj?.fields.find((f) => f.apiName === n)).filter((f) => f !== undefined);
    return (
      <Space size={[12, 0]} wrap>
        {fields.map((f) => e.record[f.apiName] != null && e.record[f.apiName] !== '' && (
          <span key={f.apiName} className="crm360-summary" data-field={f.apiName}>
            {AMOUNTS.includes(f.apiName) ? amountText(e.record, f.apiName, company, lang) : <FieldValue field={f} record={e.record} objects={objects} />}
          </span>
        ))}
        {e.object === 'sales_invoice' && typeof e.record.outstanding === 'string' && (
          <span data-testid="crm360-invoice-outstanding">
            {t('crm360.invoiceOutstanding', { amount: formatMoney(e.record.outstanding, (e.record.outstandingCurrency as string | null) ?? company, lang) })}
          </span>
        )}
      </Space>
    );
  };
  return (
    <Card size="small" title={t('crm360.timeline')} className="crm360-card" data-testid="crm360-timeline">
      {view.hidden.length > 0 && <Typography.Paragraph type="secondary">{t('crm360.hidden', { parts: view.hidden.map((o) => (byName.get(o) ? labelOf(byName.get(o)!.label, lang) : o)).join('、') })}</Typography.Paragraph>}
      <List<TimelineEntry>
        dataSource={view.timeline}
        locale={{ emptyText: t('crm360.noEntries') }}
        renderItem={(e) => (
          <List.Item data-testid="crm360-entry" data-kind={e.kind}>
            <List.Item.Meta
              title={<Space size={8} wrap>
                <Tag>{byName.get(e.object) ? labelOf(byName.get(e.object)!.label, lang) : e.kind}</Tag>
                <Link to={`/o/${e.object}/${e.id}`} data-testid="crm360-entry-link">{e.title ?? e.id}</Link>
              </Space>}
              description={<>
                {summary(e)}
                <div className="crm360-when">{e.at ? (/^\d{4}-\d{2}-\d{2}$/.test(e.at) ? e.at : formatDateTime(e.at, lang)) : ''}</div>
              </>}
            />
          </List.Item>
        )}
      />
      {canMore && <Button block onClick={onMore} loading={loading} data-testid="crm360-more">{t('crm360.more')}</Button>}
    </Card>
  );
}

/** Open opportunities, orders and tickets, each through the records API (its rights apply); a tab per object the user may read. */
function Sections({ customerId, objects }: { customerId: string; objects: ObjectMeta[] }) {
  const { t } = useTranslation();
  const ofCustomer = { field: 'customer', op: 'eq', value: customerId };
  const tabs = [
    { key: 'opportunity', label: t('crm360.tabOpportunities'), fields: ['name', 'stage', 'amount', 'probability', 'weighted_amount', 'expected_close_date'], sort: 'expected_close_date',
      filter: { and: [ofCustomer, { field: 'won_at', op: 'isNull', value: true }, { field: 'lost_at', op: 'isNull', value: true }] } },
    { key: 'sales_order', label: t('crm360.tabOrders'), fields: ['number', 'order_date', 'status', 'grand_total'], sort: '-order_date', filter: ofCustomer },
    { key: 'ticket', label: t('crm360.tabTickets'), fields: ['number', 'subject', 'priority', 'state'], sort: '-created_at', filter: ofCustomer },
  ].filter((x) => objects.some((o) => o.apiName === x.key));
  return (
    <Card size="small" className="crm360-card" data-testid="crm360-sections">
      <Tabs items={tabs.map((x) => ({
        key: x.key, label: x.label,
        children: <RelatedTable object={objects.find((o) => o.apiName === x.key)!} objects={objects} fields={x.fields} filter={x.filter} sort={x.sort} />,
      }))} />
    </Card>
  );
}
