import { useState } from 'react';
import { Button, Upload, type UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** A file of an attachment field, in the form: uploaded ones carry the server's id. */
export interface FileItem {
  id?: string;
  name: string;
  size?: number;
}

/**
 * Attachments: files upload at once (POST /api/v1/files, XMLHttpRequest for the
 * progress bar); the field keeps their ids and the record is saved with the form.
 */
export function AttachmentInput({ value, onChange, id, max = 50 }: { value?: FileItem[]; onChange?: (v: FileItem[]) => void; id?: string; max?: number }) {
  const { t } = useTranslation();
  const [uploading, setUploading] = useState<UploadFile[]>([]);
  const done: UploadFile[] = (value ?? []).map((f) => ({ uid: f.id ?? f.name, name: f.name, status: 'done', size: f.size, response: f }));
  return (
    <div data-testid="attachment-input">
      <Upload
        id={id}
        multiple
        fileList={[...done, ...uploading]}
        maxCount={max}
        customRequest={({ file, onProgress, onSuccess, onError }) => {
          const xhr = new XMLHttpRequest();
          const body = new FormData();
          body.append('file', file as Blob);
          xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.({ percent: Math.round((e.loaded / e.total) * 100) });
          xhr.onload = () => {
            const json = JSON.parse(xhr.responseText || 'null') as (FileItem & { error?: { message: string } }) | null;
            if (xhr.status === 201 && json) onSuccess?.(json);
            else onError?.(new Error(json?.error?.message ?? `HTTP ${xhr.status}`));
          };
          xhr.onerror = () => onError?.(new Error(t('errors.NETWORK')));
          xhr.open('POST', '/api/v1/files');
          xhr.send(body);
        }}
        onChange={({ file, fileList }) => {
          if (file.status === 'done' && file.response) {
            const r = file.response as FileItem;
            onChange?.([...(value ?? []), { id: r.id, name: r.name, size: r.size }]);
            setUploading((u) => u.filter((x) => x.uid !== file.uid));
          } else if (file.status === 'removed') {
            onChange?.((value ?? []).filter((f) => (f.id ?? f.name) !== file.uid));
            setUploading((u) => u.filter((x) => x.uid !== file.uid));
          } else {
            setUploading(fileList.filter((x) => x.status !== 'done'));
          }
        }}
      >
        <Button icon={<UploadOutlined />} data-testid="upload">{t('form.upload')}</Button>
      </Upload>
    </div>
  );
}
