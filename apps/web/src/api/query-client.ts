import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './client.ts';

/** The app's one query cache: App provides it, and boot/preload.ts fills it before the first render. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
      refetchOnWindowFocus: false,
    },
  },
});
