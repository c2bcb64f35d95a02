import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import type { ObjectMeta, RecordData } from '../../api/types.ts';

/**
 * Buttons an object adds to its record page's header, beside edit and print
 * (客户 → "360° 视图"). Each is its own chunk, loaded only on that object's
 * page. A page adds its button here, not inside DetailPage.
 */
type RecordAction = LazyExoticComponent<ComponentType<{ obj: ObjectMeta; record: RecordData }>>;

const RECORD_ACTIONS: Record<string, RecordAction[]> = {
  customer: [lazy(() => import('../../pages/crm/customer-360/Customer360Button.tsx'))],
};

export function RecordActions({ obj, record }: { obj: ObjectMeta; record: RecordData }) {
  const actions = RECORD_ACTIONS[obj.apiName] ?? [];
  if (!actions.length) return null;
  return (
    <Suspense fallback={null}>
      {actions.map((Action, i) => <Action key={i} obj={obj} record={record} />)}
    </Suspense>
  );
}
