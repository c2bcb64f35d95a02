import type { TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });

/**
 * The CRM's core objects (issue 7 fixes the API names). For now the customer
 * and its contacts — what selling and finance need to stand on; leads,
 * opportunities, campaigns and service arrive with the CRM issue and extend
 * these through the same install path (missing fields are added, data kept).
 */
export const CRM_OBJECTS: TCreateObject[] = [
  {
    apiName: 'customer', label: { zh: '客户', en: 'Customer' }, module: 'crm', titleField: 'name', searchFields: ['name', 'phone'],
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '客户名称', en: 'Name' }, required: true, indexed: true },
      { apiName: 'phone', type: 'phone', label: { zh: '电话', en: 'Phone' }, indexed: true },
      { apiName: 'email', type: 'email', label: { zh: '邮箱', en: 'Email' } },
      { apiName: 'tier', type: 'single_select', label: { zh: '客户等级', en: 'Tier' }, config: { options: [opt('A', 'A 类', 'A'), opt('B', 'B 类', 'B'), opt('C', 'C 类', 'C')] } },
      { apiName: 'industry', type: 'text', label: { zh: '行业', en: 'Industry' } },
      { apiName: 'address', type: 'address', label: { zh: '地址', en: 'Address' } },
      { apiName: 'credit_limit', type: 'money', label: { zh: '信用额度', en: 'Credit limit' } },
    ],
  },
  {
    apiName: 'contact', label: { zh: '联系人', en: 'Contact' }, module: 'crm', titleField: 'name', searchFields: ['name', 'phone'],
    fields: [
      { apiName: 'name', type: 'text', label: { zh: '姓名', en: 'Name' }, required: true },
      { apiName: 'customer', type: 'link', label: { zh: '客户', en: 'Customer' }, config: { target: 'customer', onDelete: 'cascade' } },
      { apiName: 'phone', type: 'phone', label: { zh: '电话', en: 'Phone' }, indexed: true },
      { apiName: 'email', type: 'email', label: { zh: '邮箱', en: 'Email' } },
      { apiName: 'title', type: 'text', label: { zh: '职务', en: 'Title' } },
    ],
  },
];
