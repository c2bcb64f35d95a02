export type { RecordsCtx } from './records.context.ts';
export { evalContextOf, todayFor } from './records.context.ts';
export { listRecords, listRecordsTogether, getRecord, readableObject, selectedFields, whereSql, sortTerms, MAX_PAGE_SIZE, type ListRequest, type ListReply, type ListOptions } from './records.query.ts';
export { createRecords, createRecord } from './records.write.ts';
export { updateRecords, updateRecord, deleteRecord, lockRow, type UpdateInput } from './records.update.ts';
export { JoinScope, lookupReadable } from './join-scope.ts';
export { logChanges, logChangesCtes, logChangesThenRead, type Change } from './change-log.ts';
export { lockAndRead, logAndReread, type LockedRecord } from './records.transition.ts';
export { shapeRow } from './records.serialize.ts';
export { readEvents, readEventsIn, ackEvents, ackEventsIn, consumeEvents, type DomainEvent } from './outbox.ts';
export { mapPgError, registerUniqueRule } from './pg-errors.ts';
export { storeFile, filePath, fileFacts, cleanFileName, MAX_FILE_BYTES, type StoredFile } from './files/file-store.ts';
export { appErrorFromDatabase } from './pg-errors.ts';
export { aggregateRecords, MAX_GROUPS, type AggregateRequest } from './records.aggregate.ts';
export { recordHistory, type HistoryEntry } from './record-history.ts';
export { searchRecords, type SearchHit } from './records.search.ts';
export { GRAM_SCAN_FRACTION, GRAM_SCAN_MIN, tooCommonForGrams, type GramMode } from './gram-choice.ts';
// Gap-free document numbers, for a module that writes its own system documents in bulk (generated vouchers).
export { assignNumbers, numberSql } from './auto-number.ts';
// The SET lists that refresh an object's stored formulas and roll-ups (one UPDATE unless an expression would grow too big).
export { computedAssignments } from './recompute.ts';
export { registerRecordHooks, registerValueDefaults, hasPrepareHooks, isGiven, plainObject, lineFieldMissing, type RecordHooks, type ValueDefaultsArgs } from './record-hooks.ts';
// A module endpoint's rights check: 403 naming the object and the action.
export { requireRight, requireRights } from './require-rights.ts';
