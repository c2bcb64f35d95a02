import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ReactFlowProvider } from '@xyflow/react';
import { useMe } from '../../api/auth.ts';
import { useObject } from '../../api/meta.ts';
import { ErrorState, PageSkeleton } from '../../components/States.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { flowDirectory, getFlow } from './approval-flows-api.ts';
import { DesignerWorkspace } from './DesignerWorkspace.tsx';
import { useText } from './text.ts';
import './approval-designer.css';

/** 设置 → 审批流程 → one flow: the visual designer. */
export default function ApprovalDesignerPage() {
  const { id } = useParams();
  const tx = useText();
  const lang = useLang();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useMe();
  const flow = useQuery({ queryKey: ['approval-flow', id], queryFn: ({ signal }) => getFlow(id!, signal), enabled: Boolean(id) });
  const directory = useQuery({ queryKey: ['approval-directory'], queryFn: ({ signal }) => flowDirectory(signal), staleTime: 60_000 });
  const { obj } = useObject(flow.data?.object);
  if (me.data && !me.data.isAdmin) return <ErrorState error={new Error(tx('forbidden'))} />;
  if (flow.isPending) return <PageSkeleton />;
  if (flow.isError) return <ErrorState error={flow.error} onRetry={() => void flow.refetch()} />;

  const userFieldOptions = (obj?.fields ?? []).filter((f) => f.type === 'user' && !f.archived).map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }));
  return (
    <div>
      <PageHeader
        back={<Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/settings/approval-flows')} aria-label={tx('back')} />}
        title={`${flow.data.name} · ${obj ? labelOf(obj.label, lang) : flow.data.object}`}
      />
      <ReactFlowProvider>
        <DesignerWorkspace
          key={flow.data.id}
          flow={flow.data}
          directory={directory.data}
          userFieldOptions={userFieldOptions}
          onSaved={(saved) => {
            qc.setQueryData(['approval-flow', saved.id], saved);
            void qc.invalidateQueries({ queryKey: ['approval-flows'] });
            if (saved.id !== flow.data.id) navigate(`/settings/approval-flows/${saved.id}`, { replace: true });
          }}
        />
      </ReactFlowProvider>
    </div>
  );
}
