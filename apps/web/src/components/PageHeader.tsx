import type { ReactNode } from 'react';

/** A page's title line with its actions on the right (they wrap below on phones). */
export function PageHeader({ title, extra, back }: { title: ReactNode; extra?: ReactNode; back?: ReactNode }) {
  return (
    <div className="page-header">
      {back}
      <h1>{title}</h1>
      {extra}
    </div>
  );
}
