import { ValidationException, type ModuleContext } from '@magneto/core';
import { globalTableStateOf } from './global-table-state.js';

/** DynamoDB's refusal of UpdateTable turning off the stream of a replica (recorded from DynamoDB). */
export const MSG_DISABLING_STREAM = 'One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.';

/**
 * A multi-Region eventually consistent replica keeps its stream of new and old images, which replication
 * reads in DynamoDB: UpdateTable cannot turn it off (nor, therefore, change its view type) while the table
 * is a replica. A strongly consistent replica's stream is its own (replication does not use it).
 */
export function checkStreamSpecification(ctx: ModuleContext, input: Record<string, unknown>): void {
  const stream = input.StreamSpecification as { StreamEnabled?: unknown } | undefined;
  if (stream?.StreamEnabled !== false || typeof input.TableName !== 'string') return;
  const table = ctx.getTable(ctx.tableNameOf(input.TableName));
  const state = table === undefined ? undefined : globalTableStateOf(table);
  if (state !== undefined && state.consistency !== 'STRONG') throw new ValidationException(MSG_DISABLING_STREAM);
}
