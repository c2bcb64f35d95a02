import { Alert, Progress, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../../api/types.ts';
import { labelOf, useLang } from '../../../i18n/index.ts';
import { editableFields } from '../../../fields/values.ts';
import { translateReason } from '../../form/server-errors.ts';
import type { Job, Mapping } from './import-api.ts';

/** A check's or an import's outcome: the column mapping (editable before importing), counts, errors per row. */
export function ImportReportView({ obj, headers, mapping, onMapping, job, dryRun }: {
  obj: ObjectMeta;
  headers: string[];
  mapping: Mapping;
  onMapping?: (m: Mapping) => void;
  job: Job | null;
  dryRun?: boolean;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const r = job?.result;
  const fields = editableFields(obj).filter((f) => f.type !== 'child_table');
  return (
    <div data-testid={dryRun ? 'import-check' : 'import-result'}>
      {onMapping && headers.length > 0 && (
        <Table size="small" pagination={false} rowKey="h" style={{ marginBottom: 12 }} scroll={{ y: 220 }}
          dataSource={headers.map((h) => ({ h }))}
          columns={[
            { key: 'h', title: t('import.column'), render: (_, { h }) => h },
            {
              key: 'f', title: t('import.field'), render: (_, { h }) => (
                <Select size="small" allowClear style={{ width: 220 }} value={mapping[h] ?? undefined} placeholder={t('import.ignore')}
                  onChange={(v) => onMapping({ ...mapping, [h]: v ?? null })}
                  options={fields.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))} />
              ),
            },
          ]} />
      )}
      {job && job.status !== 'done' && job.status !== 'failed' && <Progress percent={job.percent} status="active" />}
      {r && (
        <Alert
          type={r.errorCount ? 'warning' : 'success'}
          showIcon
          data-testid="import-summary"
          message={dryRun
            ? t('import.checked', { valid: r.valid ?? 0, bad: r.skipped ?? 0 })
            : job?.status === 'failed' ? (job.error?.message ?? t('state.error')) : t('import.done', { inserted: r.inserted ?? 0, bad: r.skipped ?? 0 })}
          style={{ marginBottom: 8 }}
        />
      )}
      {!r && job?.status === 'failed' && <Alert type="error" showIcon message={job.error?.message} />}
      {!!r?.errors?.length && (
        <Table size="small" rowKey={(e) => `${e.row}-${e.field}-${e.message}`} dataSource={r.errors} pagination={{ pageSize: 8, size: 'small' }} data-testid="import-errors"
          columns={[
            { key: 'row', title: t('import.row'), width: 80, render: (_, e) => e.row },
            { key: 'field', title: t('import.field'), width: 140, render: (_, e) => labelOf(obj.fields.find((f) => f.apiName === e.field)?.label, lang) || e.field },
            { key: 'msg', title: t('import.problem'), render: (_, e) => <Typography.Text type="danger">{translateReason(e.message.replace(/^row \d+: /, '').replace(/^[\w.]+: /, ''), t)}</Typography.Text> },
          ]} />
      )}
    </div>
  );
}
