import { Grid } from 'antd';

/** Phone-sized screens (below Ant Design's `md`, 768 px): drawer menu, card lists, full-width forms. */
export function useIsMobile(): boolean {
  const screens = Grid.useBreakpoint();
  // Before the first measurement `md` is undefined: fall back to the window width.
  if (screens.md === undefined) return typeof window !== 'undefined' && window.innerWidth < 768;
  return !screens.md;
}
