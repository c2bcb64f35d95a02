import { useEffect, useRef, useState } from 'react';
import { Input, Select, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, LoadingOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../api/types.ts';
import { labelOf, useLang } from '../i18n/index.ts';
import { checkFormula, formulaFunctions, type FormulaCheck } from './designer-api.ts';
import './formula.css';

/**
 * A formula box that asks the server to check it as you type (a dry run:
 * POST /api/v1/meta/objects/{object}/formula/check) and marks the position of
 * a syntax error under the text, with the result type and a sample value.
 */
export function FormulaEditor({ obj, value, onChange, id }: { obj: ObjectMeta; value?: string; onChange?: (v: string) => void; id?: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const ref = useRef<{ resizableTextArea?: { textArea: HTMLTextAreaElement } } | null>(null);
  const [check, setCheck] = useState<FormulaCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const seq = useRef(0);
  const functions = useQuery({ queryKey: ['meta', 'formula-functions'], queryFn: formulaFunctions, staleTime: Infinity });

  useEffect(() => {
    const src = value ?? '';
    if (!src.trim()) return void setCheck(null);
    const n = ++seq.current;
    setChecking(true);
    const h = setTimeout(() => {
      checkFormula(obj.apiName, src)
        .then((r) => n === seq.current && setCheck(r))
        .catch((e: Error) => n === seq.current && setCheck({ valid: false, error: { code: 'NETWORK', message: e.message } }))
        .finally(() => n === seq.current && setChecking(false));
    }, 350);
    return () => clearTimeout(h);
  }, [value, obj.apiName]);

  const insert = (text: string) => {
    const el = ref.current?.resizableTextArea?.textArea;
    const src = value ?? '';
    const at = el ? el.selectionStart : src.length;
    const end = el ? el.selectionEnd : src.length;
    onChange?.(src.slice(0, at) + text + src.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + text.length, at + text.length);
    });
  };

  const pos = check?.error?.details?.position;
  const fields = obj.fields.filter((f) => !f.archived && f.type !== 'child_table');
  return (
    <div className="formula-editor">
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        <Select size="small" showSearch optionFilterProp="label" placeholder={t('designer.formulaInsertField')} value={null} style={{ width: 180 }}
          onChange={(v: string) => insert(v)} options={fields.map((f) => ({ value: f.apiName, label: `${labelOf(f.label, lang)} · ${f.apiName}` }))} />
        <Select size="small" showSearch placeholder={t('designer.formulaFunctions')} value={null} style={{ width: 160 }}
          onChange={(v: string) => insert(`${v}(`)} options={(functions.data ?? []).map((f) => ({ value: f, label: f }))} />
      </Space>
      <Input.TextArea
        id={id}
        ref={ref as never}
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && e.stopPropagation()}
        autoSize={{ minRows: 2, maxRows: 8 }}
        spellCheck={false}
        className="formula-input"
        status={check && !check.valid && !checking ? 'error' : undefined}
        placeholder="price * qty"
        data-testid="formula-input"
      />
      <div className="formula-status" aria-live="polite" data-testid="formula-status">
        {checking ? (
          <Typography.Text type="secondary"><LoadingOutlined /> {t('designer.formulaChecking')}</Typography.Text>
        ) : check?.valid ? (
          <Typography.Text type="success">
            <CheckCircleFilled /> {t('designer.formulaOk', { type: t(`scalar.${check.type}`, { defaultValue: check.type }) })}
            {check.sample && <Tag style={{ marginLeft: 8 }}>{check.sample.title ?? ''} → {String(check.sample.value ?? '∅')}</Tag>}
          </Typography.Text>
        ) : check?.error ? (
          <div>
            {typeof pos === 'number' && <ErrorMarker src={value ?? ''} position={pos} />}
            <Typography.Text type="danger"><CloseCircleFilled /> {t(`errors.${check.error.code}`, { defaultValue: '' })} {check.error.message}</Typography.Text>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** The formula again, with the character at the 1-based `position` marked (past the end: a marker after it). */
function ErrorMarker({ src, position }: { src: string; position: number }) {
  const i = Math.max(0, Math.min(src.length, position - 1));
  return (
    <pre className="formula-marker" data-testid="formula-marker">
      {src.slice(0, i)}
      <mark>{src.slice(i, i + 1) || ' '}</mark>
      {src.slice(i + 1)}
    </pre>
  );
}
