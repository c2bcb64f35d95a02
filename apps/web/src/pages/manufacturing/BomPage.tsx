import { useMemo, useState, type ReactNode } from 'react';
import { Button, Card, DatePicker, Descriptions, Empty, Select, Space, Table, Tabs, Tag, Tree } from 'antd';
import { ArrowLeftOutlined, NodeIndexOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { RecordData } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, PageSkeleton, TableSkeleton } from '../../components/States.tsx';
import { LinkPicker } from '../../fields/widgets/LinkPicker.tsx';
import { useLang } from '../../i18n/index.ts';
import { formatNumber, formatPercent, type Lang } from '../../lib/format.ts';
import { useIsMobile } from '../../lib/useIsMobile.ts';
import { useBomHeader, useBomTree, useBomVersions, useWhereUsed, type BomNode, type WhereUsedNode } from './mfg-api.ts';

/**
 * /mfg/boms/:id — a BOM as a tree (多级展开): each component's quantity per
 * unit of its parent and per unit of the top item (scrap included), its unit
 * cost and the cost of that quantity, rolled up to the top; the versions of
 * the item (版本) with their effective dates; and where the item is used.
 * The `date` decides which versions of the sub-assemblies apply, as MRP and
 * work orders pick them.
 */
export default function BomPage() {
  const { id } = useParams();
  // another version is another page: its own date, tab and where-used item
  return <BomView key={id} id={id} />;
}

function BomView({ id }: { id: string | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mobile = useIsMobile();
  const [date, setDate] = useState<Dayjs | null>(null);
  const [tab, setTab] = useState('tree');
  const [usedItem, setUsedItem] = useState<{ id: string; title: string } | null>(null);
  const header = useBomHeader(id);
  const bom = header.data;
  const day = date?.format('YYYY-MM-DD');

  if (header.isError) return <ErrorState error={header.error} onRetry={() => void header.refetch()} />;
  if (header.isPending) return <PageSkeleton rows={8} />;
  if (!bom) return <Empty description={t('mfgweb.bom.notFound')} />;
  const itemTitle = `${String(bom['item.code'] ?? '')} ${String(bom['item.name'] ?? '')}`.trim();
  const showWhereUsed = (item: string, title: string) => {
    setUsedItem({ id: item, title });
    setTab('used');
  };

  return (
    <div>
      <PageHeader
        back={<Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} onClick={() => navigate(`/o/bom/${bom.id}`)} />}
        title={<span data-testid="bom-title">{t('mfgweb.bom.title')} · {itemTitle}</span>}
        extra={<Space wrap>
          <VersionPicker bom={bom} onPick={(other) => navigate(`/mfg/boms/${other}`)} />
          <DatePicker value={date} onChange={setDate} placeholder={t('mfgweb.bom.asOf')} data-testid="bom-date" style={{ width: mobile ? 150 : 180 }} />
        </Space>}
      />
      <BomSummary bom={bom} date={day} />
      <div className="page-card">
        <Tabs activeKey={tab} onChange={setTab} items={[
          { key: 'tree', label: t('mfgweb.bom.treeTab'), children: <BomTreeTable id={bom.id} date={day} onWhereUsed={showWhereUsed} /> },
          { key: 'used', label: t('mfgweb.bom.usedTab'), children: <WhereUsedPanel item={usedItem ?? { id: String(bom.item), title: itemTitle }} onItem={setUsedItem} /> },
        ]} />
      </div>
    </div>
  );
}

/** The item's versions: picking one opens its tree. */
function VersionPicker({ bom, onPick }: { bom: RecordData; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const versions = useBomVersions(String(bom.item));
  const range = (v: RecordData) => `${String(v.effective_from ?? '…')} ~ ${String(v.effective_to ?? '…')}`;
  const options = (versions.data?.data ?? []).map((v) => ({
    value: v.id,
    label: `${String(v.revision ?? '')}${v.is_default ? ` (${t('mfgweb.bom.default')})` : ''}${v.is_active === false ? ` [${t('mfgweb.bom.inactive')}]` : ''} · ${range(v)}`,
  }));
  return (
    <span data-testid="bom-version">
      <Select value={bom.id} options={options} loading={versions.isPending} onChange={onPick} popupMatchSelectWidth={false}
        aria-label={t('mfgweb.bom.version')} style={{ minWidth: 160, maxWidth: '100%' }} />
    </span>
  );
}

function BomSummary({ bom, date }: { bom: RecordData; date: string | undefined }) {
  const { t } = useTranslation();
  const lang = useLang();
  // The tree's own query (the same key as the tree tab's, so one request): its root carries the roll-up.
  // Without routing/workstation rights the tree comes without costs, and the figures show "—".
  const tree = useBomTree(bom.id, date);
  const roll = tree.data?.rollUp;
  const money = (v: string | undefined) => (tree.isError || (tree.data && !roll) ? '—' : v === undefined ? '…' : formatNumber(v, lang, 2));
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} data-testid="bom-summary">
        <Descriptions.Item label={t('mfgweb.bom.code')}>{String(bom.code ?? '')}</Descriptions.Item>
        <Descriptions.Item label={t('mfgweb.bom.version')}>
          {String(bom.revision ?? '')} {bom.is_default ? <Tag color="blue">{t('mfgweb.bom.default')}</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('mfgweb.bom.effectiveFrom')}>{String(bom.effective_from ?? '—')}</Descriptions.Item>
        <Descriptions.Item label={t('mfgweb.bom.effectiveTo')}>{String(bom.effective_to ?? '—')}</Descriptions.Item>
        <Descriptions.Item label={t('mfgweb.bom.outputQty')}>{formatNumber(bom.quantity, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('mfgweb.cost.material')}>{money(roll?.material)}</Descriptions.Item>
        <Descriptions.Item label={t('mfgweb.cost.labour')}>{money(roll?.labour)}</Descriptions.Item>
        <Descriptions.Item label={t('mfgweb.cost.overhead')}>{money(roll?.overhead)}</Descriptions.Item>
        <Descriptions.Item label={t('mfgweb.cost.byProduct')}>{money(roll?.byProductCredit)}</Descriptions.Item>
        <Descriptions.Item label={t('mfgweb.cost.unitCost')}><b data-testid="bom-unit-cost">{money(roll?.unitCost)}</b></Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

interface Row extends Omit<BomNode, 'children'> {
  key: string;
  children?: Row[];
}

/** Row keys are paths (an item may appear under several parents); leaves have no `children`, so no expand icon. */
function rowsOf(n: BomNode, key = '0'): Row {
  const { children, ...rest } = n;
  return { ...rest, key, children: children.length ? children.map((c, i) => rowsOf(c, `${key}.${i}`)) : undefined };
}

function BomTreeTable({ id, date, onWhereUsed }: { id: string; date: string | undefined; onWhereUsed: (item: string, title: string) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const tree = useBomTree(id, date);
  const data = useMemo(() => (tree.data ? [rowsOf(tree.data)] : []), [tree.data]);
  if (tree.isError) return <ErrorState error={tree.error} onRetry={() => void tree.refetch()} />;
  if (tree.isPending) return <TableSkeleton rows={6} />;
  return (
    <Table<Row> size="small" rowKey="key" pagination={false} dataSource={data} data-testid="bom-tree"
      // every level open at first: the point of the page is to see the whole explosion
      expandable={{ defaultExpandAllRows: true, indentSize: 16 }}
      scroll={{ x: 'max-content' }}
      columns={columns(t, lang, onWhereUsed)} />
  );
}

function columns(t: (k: string) => string, lang: Lang, onWhereUsed: (item: string, title: string) => void) {
  const title = (r: Row) => `${r.code ?? ''} ${r.name ?? ''}`.trim();
  return [
    {
      key: 'item', title: t('mfg.item'), render: (_: unknown, r: Row) => (
        <Space size={4} wrap={false}>
          <span data-testid="bom-node-item">{title(r)}</span>
          {r.phantom && <Tag>{t('mfgweb.bom.phantom')}</Tag>}
          {r.level > 0 && <Button type="link" size="small" icon={<NodeIndexOutlined />} title={t('mfgweb.bom.usedTab')} aria-label={t('mfgweb.bom.usedTab')}
            onClick={() => onWhereUsed(r.item, title(r))} />}
          {r.bom && r.level > 0 && <Link to={`/mfg/boms/${r.bom}`}>{t('mfgweb.bom.open')}</Link>}
        </Space>
      ),
    },
    { key: 'level', title: t('mfgweb.bom.level'), dataIndex: 'level', align: 'right' as const },
    { key: 'qtyPer', title: t('mfgweb.bom.qtyPerParent'), align: 'right' as const, render: (_: unknown, r: Row) => <span data-testid="bom-qty-per">{r.level ? formatNumber(r.qtyPer, lang) : ''}</span> },
    { key: 'qty', title: t('mfgweb.bom.qtyPerTop'), align: 'right' as const, render: (_: unknown, r: Row) => <span data-testid="bom-qty">{formatNumber(r.qty, lang)}</span> },
    { key: 'scrap', title: t('mfgweb.bom.scrap'), align: 'right' as const, render: (_: unknown, r: Row) => (r.level && r.scrapPct !== '0' ? formatPercent(r.scrapPct, lang) : '') },
    { key: 'unitCost', title: t('mfgweb.cost.unitCost'), align: 'right' as const, render: (_: unknown, r: Row) => formatNumber(r.unitCost, lang, 2) },
    { key: 'cost', title: t('mfgweb.cost.cost'), align: 'right' as const, render: (_: unknown, r: Row) => <span data-testid="bom-cost">{formatNumber(r.cost, lang, 2)}</span> },
  ];
}

interface UsedNode {
  key: string;
  title: ReactNode;
  children: UsedNode[];
}

function usedNodes(list: WhereUsedNode[], t: (k: string, o?: Record<string, unknown>) => string, lang: Lang, key = 'u'): UsedNode[] {
  return list.map((w, i) => ({
    key: `${key}.${i}`,
    title: (
      <span data-testid="where-used-node">
        <Link to={`/mfg/boms/${w.bom}`}>{`${w.code ?? ''} ${w.name ?? ''}`.trim()}</Link>
        {' · '}{w.version}{' · '}{t('mfgweb.bom.usesQty', { qty: formatNumber(w.qty, lang) })}
      </span>
    ),
    children: usedNodes(w.usedIn, t, lang, `${key}.${i}`),
  }));
}

/** 反查: every BOM (any version) using the item, and what uses those parents, up to the finished goods. */
function WhereUsedPanel({ item, onItem }: { item: { id: string; title: string }; onItem: (v: { id: string; title: string } | null) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const used = useWhereUsed(item.id);
  const nodes = useMemo(() => usedNodes(used.data?.usedIn ?? [], t, lang), [used.data, t, lang]);
  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('mfg.item')}</span>
        <LinkPicker key={item.id} target="item" value={item.id} initialTitle={item.title} id="where-used-item"
          onChange={(v, title) => onItem(v ? { id: v, title: title ?? '' } : null)} style={{ width: 220, maxWidth: '100%' }} />
      </Space>
      {used.isError ? <ErrorState error={used.error} onRetry={() => void used.refetch()} />
        : used.isPending ? <TableSkeleton rows={3} />
          : nodes.length
            ? <div style={{ overflowX: 'auto' }}><Tree treeData={nodes} defaultExpandAll selectable={false} data-testid="where-used" key={item.id} /></div>
            : <Empty description={t('mfgweb.bom.notUsed')} data-testid="where-used-empty" />}
    </div>
  );
}
