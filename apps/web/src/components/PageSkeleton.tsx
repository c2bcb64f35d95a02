import { Skeleton } from 'antd';

/** Placeholders with the shape of what is coming: no blank screens, no layout shift. (Kept apart from States.tsx: the entry chunk loads it.) */
export function PageSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div style={{ padding: 24 }} aria-busy="true" data-testid="page-skeleton">
      <Skeleton.Input active style={{ width: 240, marginBottom: 16 }} />
      <Skeleton active paragraph={{ rows }} />
    </div>
  );
}
