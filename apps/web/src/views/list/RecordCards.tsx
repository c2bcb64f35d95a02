import { Card, List, Pagination } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ListReply, ObjectMeta, RecordData } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { FieldValue } from '../../fields/FieldValue.tsx';
import type { ListState } from './useListState.ts';
import { pagerTotal } from './pager.ts';

/** The phone list: one card per record (title and the next few columns), tap to open. */
export function RecordCards({ obj, objects, reply, total, loading, state, visible, onChange }: {
  obj: ObjectMeta;
  objects: ObjectMeta[];
  reply: ListReply | undefined;
  /** All matches; undefined while being counted, null when the count failed. */
  total: number | undefined | null;
  loading: boolean;
  state: ListState;
  visible: string[];
  onChange: (patch: Partial<ListState>) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const shown = visible.filter((n) => n !== obj.titleField).slice(0, 4).map((n) => obj.fields.find((f) => f.apiName === n)!).filter(Boolean);
  return (
    <>
      <List<RecordData>
        loading={loading}
        dataSource={reply?.data ?? []}
        rowKey="id"
        renderItem={(r) => (
          <Card size="small" style={{ marginBottom: 8 }} onClick={() => navigate(`/o/${obj.apiName}/${r.id}`)} hoverable data-testid="record-card"
            title={String(r[obj.titleField] ?? r.$title ?? r.id)}>
            {shown.map((f) => (
              <div key={f.apiName} style={{ display: 'flex', justifyContent: 'space-between', gap: 12, padding: '2px 0' }}>
                <span style={{ color: 'rgba(0,0,0,.45)', flexShrink: 0 }}>{labelOf(f.label, lang)}</span>
                <span style={{ textAlign: 'right', minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}><FieldValue field={f} record={r} objects={objects} /></span>
              </div>
            ))}
          </Card>
        )}
      />
      {pagerTotal(total, reply, state) > state.pageSize && (
        <Pagination simple current={state.page} pageSize={state.pageSize} total={pagerTotal(total, reply, state)} onChange={(page) => onChange({ page })} style={{ textAlign: 'center', marginTop: 8 }}
          showTotal={(n) => (total === undefined ? t('weblist.counting') : total === null ? null : t('list.total', { total: n }))} />
      )}
    </>
  );
}
