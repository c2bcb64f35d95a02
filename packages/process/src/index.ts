export { registerDocumentHooks, setApprovalStarter, type DocumentHooks, type DocumentHookArgs, type ApprovalStarter } from './document-hooks.ts';
export { submitDocument, cancelDocument, amendDocument, approveDocument, returnToDraft } from './lifecycle.service.ts';
