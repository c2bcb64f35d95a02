import { InputNumber, Select, Space } from 'antd';
import { useCompanyCurrency } from '../../api/company-currency.ts';

/** Amount (a decimal string, never a float) + currency, as the API's { amount, currency }. */
export interface MoneyValue {
  amount?: string | null;
  currency?: string;
}

const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP'];

export function MoneyInput({ value, onChange, scale = 2, id, disabled }: { value?: MoneyValue; onChange?: (v: MoneyValue) => void; scale?: number; id?: string; disabled?: boolean }) {
  const company = useCompanyCurrency();
  const currency = value?.currency ?? company;
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select
        value={currency}
        disabled={disabled}
        onChange={(c) => onChange?.({ ...value, currency: c })}
        options={[...new Set([currency, ...CURRENCIES])].map((c) => ({ value: c, label: c }))}
        style={{ width: 90 }}
        aria-label="currency"
      />
      <InputNumber<string>
        id={id}
        stringMode
        disabled={disabled}
        value={value?.amount ?? null}
        precision={scale}
        onChange={(amount) => onChange?.({ currency, amount: amount ?? null })}
        style={{ width: '100%' }}
        formatter={(v) => (v ? String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',').replace(/(\.\d*?),/g, '$1') : '')}
        parser={(v) => (v ?? '').replace(/,/g, '')}
      />
    </Space.Compact>
  );
}
