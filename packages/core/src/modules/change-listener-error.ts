import type { ChangeBatch } from './change-record.js';

/**
 * What happens when a change-feed listener (ModuleContext.onChange) throws or rejects: the write it was
 * told about has committed and stays acknowledged — as on DynamoDB, where a failing stream consumer never
 * fails the write — and the other listeners still receive the batch. The error goes here instead.
 */
export type ChangeListenerErrorHandler = (error: unknown, batch: ChangeBatch) => void;

/** The default handler: console.error, naming the batch's first change (the process keeps running). */
export const reportChangeListenerError: ChangeListenerErrorHandler = (error, batch) => {
  const first = batch.records[0];
  const what = first === undefined ? 'a transaction token' : `${batch.records.length} change(s), first #${first.sequenceNumber} on table ${first.tableName}`;
  console.error(`Magneto: a change-feed listener failed on ${what}; the write is committed and acknowledged.`, error);
};
