import { setApprovalStarter } from '@mosaic/process';
import { startApprovalOnSubmit } from './runtime/start.ts';

/** Plugs the approval engine into the document lifecycle: submitting a document starts its flow, if one applies. */
export function installApprovalEngine(): void {
  setApprovalStarter(startApprovalOnSubmit);
}

export { startApprovalOnSubmit } from './runtime/start.ts';
export { ZFlowDefinition, ZCreateFlow, ZUpdateFlow, type TFlowDefinition, type TFlowNode, type TFlowEdge, type TCreateFlow, type TUpdateFlow } from './definition/flow-definition.schema.ts';
export { validateFlow, type FlowError, type FlowChecks } from './definition/flow-validate.rules.ts';
export { listFlows, getFlow, createFlow, updateFlow, validateFlowById, activateFlow, deactivateFlow, deleteFlow, type FlowView } from './flows/flow.service.ts';
export { approveTask, rejectTask, returnTask, transferTask, addApprover, commentOnTask } from './actions/task-actions.service.ts';
export { ZDecision, ZReject, ZReturn, ZTransfer, ZAddApprover, ZComment, ZWithdraw } from './actions/task-actions.schema.ts';
export { withdrawApproval } from './actions/withdraw.service.ts';
export { sweepApprovalTimeouts } from './actions/timeouts.service.ts';
export { startApprovalTimeoutSweeper, sweepOnce } from './actions/timeout-sweeper.ts';
export { listInbox, ZInboxQuery, type TInboxQuery } from './queries/inbox.query.ts';
export { recordApprovals } from './queries/record-approvals.query.ts';
export { approvalRunning, approvalRunningSql } from './queries/approval-running.query.ts';
export { flowDirectory } from './queries/directory.query.ts';
export { taskCandidates, ZCandidatesQuery, type TCandidatesQuery } from './queries/task-candidates.query.ts';
export type { InstanceView } from './queries/instance-view.ts';
export { setApprovalNotifier, type ApprovalNotice, type ApprovalNotifier } from './notify.ts';
export { SYSTEM_USER_ID, type ApprovalDeps } from './approval.types.ts';
export { activeFlows } from './flows/active-flows.ts';
