import { z } from 'zod';

/** Request bodies of the task actions (validated at the edge, in the routes). */
const comment = z.string().trim().max(2000);

export const ZDecision = z.object({ comment: comment.optional() }).strict();
/** Reject: back to draft, or with `toNode` back to an approval node this instance already passed. */
export const ZReject = z.object({ comment: comment.optional(), toNode: z.string().min(1).max(64).optional() }).strict();
/** Return for changes: back to draft; say what to change. */
export const ZReturn = z.object({ comment: comment.min(1, 'say what should change') }).strict();
export const ZTransfer = z.object({ userId: z.uuid(), comment: comment.optional() }).strict();
/** 加签: `before` — the new approver decides first, then you; `after` — they decide once your group has. */
export const ZAddApprover = z.object({ userId: z.uuid(), position: z.enum(['before', 'after']), comment: comment.optional() }).strict();
export const ZComment = z.object({ comment: comment.min(1) }).strict();
export const ZWithdraw = z.object({ comment: comment.optional() }).strict();

export type TDecision = z.output<typeof ZDecision>;
export type TReject = z.output<typeof ZReject>;
export type TReturn = z.output<typeof ZReturn>;
export type TTransfer = z.output<typeof ZTransfer>;
export type TAddApprover = z.output<typeof ZAddApprover>;
export type TComment = z.output<typeof ZComment>;
export type TWithdraw = z.output<typeof ZWithdraw>;
