import { useState } from 'react';
import { App, Card, Empty, Form, Modal, Select, Spin, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, get, post } from '../../api/client.ts';
import { useObject } from '../../api/meta.ts';
import type { FieldMeta, ObjectMeta } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, errorText } from '../../components/States.tsx';
import { FieldControl } from '../../fields/FieldControl.tsx';
import { fromFormValues } from '../../fields/values.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { useCompanyCurrency } from '../../api/company-currency.ts';
import { formatMoney, formatMoneyByCurrency } from '../../lib/format.ts';
import '../../views/list/kanban.css';

interface OppCard {
  id: string;
  name: string;
  /** Money: the amount in its own currency. */
  amount: { amount: string; currency: string | null } | null;
  weighted_amount: string | null;
  expected_close_date: string | null;
  version: number;
  'customer.$title'?: string;
  $titles?: Record<string, string>;
}
interface StageColumn {
  id: string;
  name: string;
  probability: string;
  outcome: 'open' | 'won' | 'lost';
  requiredFields: string[];
  total: number;
  /** Every card's amount added per currency ({ CNY: "…", USD: "…" }); absent for a user who may not read amount. */
  amount?: Record<string, string>;
  cards: OppCard[];
}
interface Board {
  pipeline: string;
  stages: StageColumn[];
}
interface Pending {
  card: OppCard;
  to: StageColumn;
  fields: FieldMeta[];
}

/**
 * /crm/pipeline — 销售看板: the opportunities of a pipeline by stage (GET
 * /api/v1/crm/pipelines/{id}/kanban, through the caller's rights). Dragging a
 * card to another stage moves it (POST /api/v1/crm/opportunities/{id}/move);
 * when the stage requires fields still empty, the server names them (422) and
 * a dialog asks for them, then the move is sent again with the values.
 */
export default function PipelinePage() {
  const { t } = useTranslation();
  const { obj, objects } = useObject('opportunity');
  const pipelines = useQuery({
    queryKey: ['records', 'crm_pipeline', 'board'],
    queryFn: ({ signal }) => get<{ data: { id: string; name: string; is_default: boolean }[] }>('/api/v1/records/crm_pipeline?fields=name,is_default&pageSize=100', signal),
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const list = pipelines.data?.data ?? [];
  const pipeline = chosen ?? list.find((p) => p.is_default)?.id ?? list[0]?.id ?? null;
  if (pipelines.isError) return <ErrorState error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  return (
    <div>
      <PageHeader title={t('crm.pipeline.title')} extra={
        <Select value={pipeline ?? undefined} onChange={setChosen} style={{ minWidth: 180 }} data-testid="pipeline-select"
          options={list.map((p) => ({ value: p.id, label: p.name }))} />
      } />
      {pipelines.isPending || !obj ? <Spin /> : pipeline ? <PipelineBoard pipeline={pipeline} obj={obj} objects={objects} /> : <Empty description={t('crm.pipeline.none')} />}
    </div>
  );
}

function PipelineBoard({ pipeline, obj, objects }: { pipeline: string; obj: ObjectMeta; objects: ObjectMeta[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const currency = useCompanyCurrency(); // a stage without opportunities totals 0 in the company's currency
  const { message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [over, setOver] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [form] = Form.useForm();
  const key = ['crm-kanban', pipeline];
  const board = useQuery({ queryKey: key, queryFn: ({ signal }) => get<Board>(`/api/v1/crm/pipelines/${pipeline}/kanban?perStage=50`, signal) });

  /** Sends the move; a missing required field opens the dialog for every field the stage requires that is still empty. */
  const move = async (card: OppCard, to: StageColumn, values?: Record<string, unknown>) => {
    try {
      await post(`/api/v1/crm/opportunities/${card.id}/move`, { stage: to.id, version: card.version, values });
      setPending(null);
      message.success(t('crm.pipeline.moved', { name: card.name, to: to.name }));
      await client.invalidateQueries({ queryKey: key });
      void client.invalidateQueries({ queryKey: ['records', 'opportunity'] });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'FIELD_REQUIRED' && !values) {
        const fields = to.requiredFields.map((n) => obj.fields.find((f) => f.apiName === n)).filter((f): f is FieldMeta => Boolean(f));
        form.resetFields();
        setPending({ card, to, fields: fields.length ? fields : obj.fields.filter((f) => f.apiName === e.field) });
        return;
      }
      message.error(errorText(e, t));
      void client.invalidateQueries({ queryKey: key });
    }
  };

  const drop = (to: StageColumn) => (e: React.DragEvent) => {
    e.preventDefault();
    setOver(null);
    const card = JSON.parse(e.dataTransfer.getData('application/x-mosaic-opportunity') || 'null') as (OppCard & { from: string }) | null;
    if (card && card.from !== to.id) void move(card, to);
  };

  const confirm = async () => {
    if (!pending) return;
    const entered = await form.validateFields();
    const body = fromFormValues(obj, objects, entered);
    const values = Object.fromEntries(pending.fields.map((f) => [f.apiName, body[f.apiName] ?? null]));
    await move(pending.card, pending.to, values);
  };

  if (board.isError) return <ErrorState error={board.error} onRetry={() => void board.refetch()} />;
  if (!board.data) return <Spin />;
  return (
    <>
      <div className="kanban" data-testid="pipeline-board">
        {board.data.stages.map((s) => (
          <section key={s.id} className={`kanban-column${over === s.id ? ' kanban-over' : ''}`} data-testid="pipeline-column" data-stage={s.name}
            onDragOver={(e) => { e.preventDefault(); setOver(s.id); }} onDragLeave={() => setOver(null)} onDrop={drop(s)}>
            <header>
              <strong>{s.name}</strong> <Typography.Text type="secondary">{Math.round(Number(s.probability) * 100)}%</Typography.Text>{' '}
              <Typography.Text type="secondary" data-testid="pipeline-count">{s.total}</Typography.Text>
              {s.amount && <div className="kanban-line num" data-testid="pipeline-amount">{formatMoneyByCurrency(s.amount, currency, lang, 2)}</div>}
            </header>
            <div className="kanban-cards">
              {s.cards.map((c) => (
                <Card key={c.id} size="small" hoverable draggable data-testid="pipeline-card"
                  onDragStart={(e) => e.dataTransfer.setData('application/x-mosaic-opportunity', JSON.stringify({ ...c, from: s.id }))}
                  onClick={() => navigate(`/o/opportunity/${c.id}`)}>
                  <div className="kanban-title">{c.name}</div>
                  {c.amount && <div className="kanban-line num">{formatMoney(c.amount.amount, c.amount.currency || currency, lang, 2)}</div>}
                  {c.expected_close_date && <div className="kanban-line">{c.expected_close_date}</div>}
                </Card>
              ))}
              {s.total > s.cards.length && <Typography.Text type="secondary">{t('kanban.more', { count: s.total - s.cards.length })}</Typography.Text>}
            </div>
          </section>
        ))}
      </div>
      <Modal open={Boolean(pending)} title={pending ? t('crm.pipeline.required', { stage: pending.to.name }) : ''} onCancel={() => setPending(null)} onOk={() => void confirm()}
        okButtonProps={{ 'data-testid': 'stage-fields-ok' } as never} destroyOnHidden>
        <Form form={form} layout="vertical" name="stage-fields">
          {pending?.fields.map((f) => (
            <Form.Item key={f.apiName} name={f.apiName} label={labelOf(f.label, lang)}
              rules={[{ required: true, message: t('crm.pipeline.fill', { field: labelOf(f.label, lang) }) }]}>
              <FieldControl field={f} objects={objects} />
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </>
  );
}
