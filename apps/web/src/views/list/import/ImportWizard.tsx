import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Modal, Progress, Radio, Space, Steps, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../../api/types.ts';
import { errorText } from '../../../components/States.tsx';
import { labelOf, useLang } from '../../../i18n/index.ts';
import { startImport, waitForJob, type ImportMode, type Job, type Mapping } from './import-api.ts';
import { ImportReportView } from './ImportReportView.tsx';

/**
 * Import wizard: choose a CSV/XLSX file → a dry run checks every row and shows
 * the column mapping (editable) and the errors per row → import, with progress.
 */
export default function ImportWizard({ obj, onClose }: { obj: ObjectMeta; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('skip_bad_rows');
  const [mapping, setMapping] = useState<Mapping | undefined>(undefined);
  const [headers, setHeaders] = useState<string[] | null>(null);
  const [upload, setUpload] = useState(0);
  const [job, setJob] = useState<Job | null>(null);
  const [check, setCheck] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cancel = useRef({ cancelled: false });
  useEffect(() => () => void (cancel.current.cancelled = true), []);
  const step = job ? 2 : check || headers ? 1 : 0;

  const run = async (dryRun: boolean, f = file, m = mapping) => {
    if (!f) return;
    setBusy(true);
    setError(null);
    setUpload(0);
    try {
      const { jobId } = await startImport(obj.apiName, f, { mode, dryRun, mapping: m }, setUpload);
      const done = await waitForJob(jobId, dryRun ? setCheck : setJob, cancel.current);
      if (dryRun) setCheck(done);
      else {
        setJob(done);
        await qc.invalidateQueries({ queryKey: ['records', obj.apiName] });
      }
    } catch (e) {
      const details = (e as { details?: { headers?: string[] } }).details;
      if (details?.headers) setHeaders(details.headers); // no column matched: let the person map them
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const columns = check?.result?.columns ?? [];
  const fileHeaders = headers ?? [...columns.map((c) => c.column), ...(check?.result?.ignoredColumns ?? []).map((c) => (typeof c === 'string' ? c : c.header))];
  const current: Mapping = mapping ?? Object.fromEntries(fileHeaders.map((h) => [h, columns.find((c) => c.column === h)?.field ?? null]));

  return (
    <Modal open title={`${t('import.title')} · ${labelOf(obj.pluralLabel ?? obj.label, lang)}`} onCancel={onClose} width={760} footer={null} destroyOnHidden>
      <Steps size="small" current={step} style={{ marginBottom: 16 }} items={[{ title: t('import.stepFile') }, { title: t('import.stepCheck') }, { title: t('import.stepImport') }]} />
      {step === 0 && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Upload.Dragger accept=".xlsx,.csv" maxCount={1} showUploadList={false} disabled={busy}
            beforeUpload={(f) => { setFile(f); void run(true, f); return false; }} data-testid="import-file">
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p>{t('import.drop')}</p>
            <p style={{ color: '#999' }}>{t('import.hint')}</p>
          </Upload.Dragger>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} options={[
            { value: 'skip_bad_rows', label: t('import.skipBad') }, { value: 'all_or_nothing', label: t('import.allOrNothing') },
          ]} />
        </Space>
      )}
      {busy && !job && <Progress percent={check ? check.percent : upload} status="active" style={{ marginTop: 12 }} data-testid="import-progress" />}
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
      {step === 1 && !busy && (
        <ImportReportView obj={obj} headers={fileHeaders} mapping={current} onMapping={setMapping} job={check} dryRun />
      )}
      {job && <ImportReportView obj={obj} headers={[]} mapping={{}} job={job} />}
      <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8, marginTop: 16 }}>
        {step === 1 && !job && <Button disabled={busy} onClick={() => void run(true, file, current)}>{t('import.recheck')}</Button>}
        {step === 1 && !job && (
          <Button type="primary" loading={busy} disabled={!check?.result?.valid} onClick={() => void run(false, file, mapping)} data-testid="import-run">
            {t('import.run', { count: check?.result?.valid ?? 0 })}
          </Button>
        )}
        {job && !busy && <Button type="primary" onClick={onClose}>{t('common.close')}</Button>}
      </div>
    </Modal>
  );
}
