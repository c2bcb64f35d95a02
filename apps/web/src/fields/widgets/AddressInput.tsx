import { Cascader, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRegions } from '../regions.ts';
import type { AddressForm } from '../values.ts';

/** 省/市/区 cascader (GB/T 2260 codes from GET /api/v1/meta/regions) + the street line. */
export function AddressInput({ value, onChange, id, disabled }: { value?: AddressForm; onChange?: (v: AddressForm) => void; id?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const regions = useRegions();
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={8}>
      <Cascader
        id={id}
        disabled={disabled}
        options={regions.data?.tree}
        loading={regions.isPending}
        fieldNames={{ label: 'name', value: 'code', children: 'children' }}
        value={value?.region}
        changeOnSelect
        showSearch={{ filter: (input, path) => path.some((o) => String(o.name).includes(input)) }}
        onChange={(region) => onChange?.({ ...value, region: (region ?? []) as string[] })}
        placeholder={t('form.province')}
        style={{ width: '100%' }}
      />
      <Input disabled={disabled} value={value?.detail} placeholder={t('form.addressDetail')} onChange={(e) => onChange?.({ ...value, detail: e.target.value })} />
    </Space>
  );
}
