import { lazy, Suspense } from 'react';
import { Skeleton } from 'antd';

// The editor is its own chunk: loaded only when a form has a rich-text field.
const RichTextEditor = lazy(() => import('./RichTextEditor.tsx'));

export function RichTextInput(props: { value?: string; onChange?: (html: string) => void; id?: string }) {
  return (
    <Suspense fallback={<Skeleton.Input active block style={{ height: 160 }} />}>
      <RichTextEditor {...props} />
    </Suspense>
  );
}
