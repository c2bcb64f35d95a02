import type { ComponentType } from 'react';
import type { FormInstance } from 'antd';
import { QuoteLinePricing } from '../../pages/crm/quote-form/QuoteLinePricing.tsx';

/**
 * Behaviour a module adds to an object's generic form (as `detail/record-pages.ts` adds
 * buttons to its record page): components rendered inside the form, which watch and set its
 * values. The form itself special-cases no object.
 */
export type FormHelper = ComponentType<{ form: FormInstance }>;

const FORM_HELPERS: Record<string, FormHelper[]> = {
  // a picked product takes its list price from the CRM's price endpoint
  quote: [QuoteLinePricing],
};

export const formHelpersOf = (object: string): FormHelper[] => FORM_HELPERS[object] ?? [];
