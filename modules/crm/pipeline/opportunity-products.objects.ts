import type { TCreateObject } from '@mosaic/meta';

/** Products on an opportunity add up (crm_sales, merged by mergeObjectDefs): each line's amount and the opportunity's products total. */
export const OPPORTUNITY_PRODUCT_OBJECTS: TCreateObject[] = [
  {
    apiName: 'opportunity_line', label: { zh: '商机产品', en: 'Opportunity product' }, module: 'crm',
    fields: [{ apiName: 'amount', type: 'formula', label: { zh: '金额', en: 'Amount' }, config: { formula: 'ROUND(qty * rate, 2)' } }],
  },
  {
    apiName: 'opportunity', label: { zh: '商机', en: 'Opportunity' }, module: 'crm',
    fields: [{ apiName: 'products_total', type: 'rollup', label: { zh: '产品合计', en: 'Products total' }, config: { rollup: { relation: 'lines', field: 'amount', fn: 'sum' } } }],
  },
];
