export type { RecordsCtx } from './records.context.ts';
export { evalContextOf } from './records.context.ts';
export { listRecords, getRecord, readableObject, selectedFields, whereSql, sortTerms, MAX_PAGE_SIZE, type ListRequest, type ListReply } from './records.query.ts';
export { createRecords, createRecord } from './records.write.ts';
export { updateRecords, updateRecord, deleteRecord, lockRow, type UpdateInput } from './records.update.ts';
export { JoinScope } from './join-scope.ts';
export { logChanges, type Change } from './change-log.ts';
export { shapeRow } from './records.serialize.ts';
export { readEvents, ackEvents, consumeEvents, type DomainEvent } from './outbox.ts';
