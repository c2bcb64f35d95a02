import { useQuery } from '@tanstack/react-query';
import { get } from './client.ts';
import type { ObjectMeta } from './types.ts';

export interface FileFact {
  id: string;
  name: string;
  size: number;
  mime: string;
}

/** Names of the files a record's attachment fields hold (GET /records/{object}/{id}/attachments), by field. */
export function useAttachments(obj: ObjectMeta, id: string | undefined) {
  const enabled = Boolean(id) && obj.fields.some((f) => f.type === 'attachment' && !f.archived);
  const q = useQuery({
    queryKey: ['records', obj.apiName, 'attachments', id],
    queryFn: ({ signal }) => get<{ data: Record<string, FileFact[]> }>(`/api/v1/records/${encodeURIComponent(obj.apiName)}/${id}/attachments`, signal).then((r) => r.data),
    enabled,
  });
  return { ...q, enabled };
}

export const fileUrl = (object: string, id: string, fileId: string) => `/api/v1/records/${encodeURIComponent(object)}/${id}/files/${fileId}`;
