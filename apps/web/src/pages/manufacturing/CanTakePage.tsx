import { useState } from 'react';
import { Alert, App, Button, Col, DatePicker, Form, Input, Row, Table, Tag } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { errorText } from '../../components/States.tsx';
import { LinkPicker } from '../../fields/widgets/LinkPicker.tsx';
import { useLang } from '../../i18n/index.ts';
import { formatNumber } from '../../lib/format.ts';
import { canWeTake, type CanTakeAnswer } from './mfg-api.ts';

interface Ask {
  item: string | null;
  qty: string;
  date: Dayjs | null;
}

const ASKED = ['item', 'qty', 'date'] as const;

/**
 * 能否接单 — "can we take this order?": an item, a quantity and the wanted
 * date go to the server's what-if MRP run; the answer is shown as it comes:
 * yes, or the earliest date the material allows, the components that would be
 * late (order by when, how many days late) and the overloaded workstation weeks.
 * The quantity is sent as typed: the server judges it, and its 4xx names the field.
 */
export default function CanTakePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Ask>();
  const [answer, setAnswer] = useState<{ asked: Ask; reply: CanTakeAnswer } | null>(null);
  const [asking, setAsking] = useState(false);

  const ask = async (v: Ask) => {
    setAsking(true);
    form.setFields(ASKED.map((name) => ({ name, errors: [] })));
    try {
      const reply = await canWeTake({ item: v.item ?? null, qty: String(v.qty ?? '').trim(), date: v.date ? v.date.format('YYYY-MM-DD') : null });
      setAnswer({ asked: v, reply });
    } catch (e) {
      setAnswer(null);
      const field = e instanceof ApiError ? ASKED.find((f) => f === e.field) : undefined;
      // the server's message names the field first ("qty: …"): under the field itself that prefix is noise
      if (field && e instanceof ApiError) form.setFields([{ name: field, errors: [e.message.replace(new RegExp(`^${field}: `), '')] }]);
      else void message.error(errorText(e, t));
    } finally {
      setAsking(false);
    }
  };

  return (
    <div>
      <PageHeader title={t('mfgweb.canTake.title')} />
      <div className="page-card" style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" onFinish={(v) => void ask(v)} initialValues={{ qty: '', date: dayjs().add(14, 'day') }} data-testid="can-take-form">
          {/* columns side by side on a desktop, stacked on a phone */}
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item name="item" label={t('mfg.item')} rules={[{ required: true, message: t('mfgweb.canTake.pickItem') }]}>
                <LinkPicker target="item" id="can-take-item" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={6}>
              <Form.Item name="qty" label={t('mfg.qty')} rules={[{ required: true, message: t('mfgweb.canTake.typeQty') }]}>
                <Input inputMode="decimal" id="can-take-qty" data-testid="can-take-qty" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={5}>
              <Form.Item name="date" label={t('mfgweb.canTake.wanted')} rules={[{ required: true, message: t('mfgweb.canTake.pickDate') }]}>
                <DatePicker style={{ width: '100%' }} id="can-take-date" />
              </Form.Item>
            </Col>
            <Col xs={24} md={3}>
              <Form.Item label={<span aria-hidden>&nbsp;</span>}>
                <Button type="primary" htmlType="submit" block icon={<QuestionCircleOutlined />} loading={asking} data-testid="can-take-ask">{t('mfgweb.canTake.ask')}</Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </div>
      {answer && <Answer asked={answer.asked} reply={answer.reply} />}
    </div>
  );
}

/**
 * Why not: the day material is complete when only material moves it; the earliest day when booked
 * capacity does (it is the later of the two); no date when no workstation has room; else an overloaded week.
 */
function verdict(reply: CanTakeAnswer, wanted: string, t: (key: string, o?: Record<string, unknown>) => string): string {
  if (reply.earliestDate === null) return t('mfgweb.canTake.noRoom', { date: wanted });
  if (reply.earliestDate > wanted) {
    const key = reply.capacityDelays?.length ? 'noEarliestCapacity' : 'noEarliest';
    return t(`mfgweb.canTake.${key}`, { date: wanted, earliest: reply.earliestDate });
  }
  return t('mfgweb.canTake.noCapacity', { date: wanted });
}

function Answer({ asked, reply }: { asked: Ask; reply: CanTakeAnswer }) {
  const { t } = useTranslation();
  const lang = useLang();
  const wanted = asked.date?.format('YYYY-MM-DD') ?? '';
  const late = reply.materialShortages.length > 0;
  return (
    <div className="page-card" data-testid="can-take-answer">
      {reply.ok
        ? <Alert type="success" showIcon message={t('mfgweb.canTake.yes', { date: wanted })} data-testid="can-take-verdict" />
        : <Alert type="warning" showIcon data-testid="can-take-verdict"
          message={verdict(reply, wanted, t)}
          description={late && reply.capacityShortages.length ? t('mfgweb.canTake.capacityToo') : undefined} />}
      {late && (
        <>
          <h3 style={{ marginTop: 16 }}>{t('mfgweb.canTake.materialShort')}</h3>
          <Table size="small" rowKey={(r) => `${r.item}|${r.releaseBy}`} pagination={false} dataSource={reply.materialShortages} scroll={{ x: 'max-content' }}
            data-testid="can-take-material" columns={[
              { key: 'item', title: t('mfg.item'), render: (_, r) => r.code ?? r.item },
              { key: 'kind', title: t('mfgweb.canTake.kind'), render: (_, r) => r.kind === 'work_order' ? <Tag color="blue">{t('mfg.mrp.workOrder')}</Tag> : <Tag color="orange">{t('mfg.mrp.purchase')}</Tag> },
              { key: 'qty', title: t('mfg.qty'), align: 'right', render: (_, r) => formatNumber(r.qty, lang) },
              { key: 'releaseBy', title: t('mfgweb.canTake.releaseBy'), dataIndex: 'releaseBy' },
              { key: 'dueDate', title: t('mfgweb.canTake.neededBy'), dataIndex: 'dueDate' },
              { key: 'daysLate', title: t('mfgweb.canTake.daysLate'), align: 'right', render: (_, r) => <Tag color="red">{t('mfgweb.canTake.days', { count: r.daysLate })}</Tag> },
            ]} />
        </>
      )}
      {reply.capacityDelays?.length > 0 && (
        <>
          <h3 style={{ marginTop: 16 }}>{t('mfgweb.canTake.capacityDelay')}</h3>
          <Table size="small" rowKey={(r) => r.workstation} pagination={false} dataSource={reply.capacityDelays} scroll={{ x: 'max-content' }}
            data-testid="can-take-delays" columns={[
              { key: 'code', title: t('mfgweb.canTake.workstation'), dataIndex: 'code' },
              { key: 'days', title: t('mfgweb.canTake.daysLate'), align: 'right', render: (_, r) => <Tag color="red">{t('mfgweb.canTake.workingDays', { count: r.workingDays })}</Tag> },
              { key: 'finishes', title: t('mfgweb.canTake.finishes'), dataIndex: 'finishes' },
            ]} />
        </>
      )}
      {reply.capacityShortages.length > 0 && (
        <>
          <h3 style={{ marginTop: 16 }}>{t('mfgweb.canTake.capacityShort')}</h3>
          <Table size="small" rowKey={(r) => `${r.workstation}|${r.week}`} pagination={false} dataSource={reply.capacityShortages} scroll={{ x: 'max-content' }}
            data-testid="can-take-capacity" columns={[
              { key: 'code', title: t('mfgweb.canTake.workstation'), dataIndex: 'code' },
              { key: 'week', title: t('mfgweb.canTake.week'), dataIndex: 'week' },
              { key: 'load', title: t('mfgweb.canTake.loadHours'), align: 'right', render: (_, r) => formatNumber(r.loadHours, lang, 1) },
              { key: 'cap', title: t('mfgweb.canTake.capacityHours'), align: 'right', render: (_, r) => formatNumber(r.capacityHours, lang, 1) },
              { key: 'short', title: t('mfgweb.canTake.shortHours'), align: 'right', render: (_, r) => formatNumber(r.shortHours, lang, 1) },
            ]} />
        </>
      )}
    </div>
  );
}
