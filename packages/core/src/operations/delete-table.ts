import type { Engine } from '../engine.js';
import { ResourceInUseException, ValidationException } from '../errors.js';
import { describeTableState, type TableDescription } from '../tables/table-description.js';
import type { TableState } from '../tables/table-state.js';
import { validateDeleteTableInput } from './validation/validate-delete-table-input.js';

export interface DeleteTableInput {
  TableName: string;
}
export interface DeleteTableOutput {
  TableDescription: TableDescription;
}

/**
 * DeleteTable: answers DELETING and removes the table and its items after `tableTransitionMs`.
 * Refused while deletion protection is enabled or while the table is being created or updated; a table
 * already DELETING is answered as it is.
 *
 * @internal
 */
export function deleteTable(engine: Engine, input: DeleteTableInput): DeleteTableOutput {
  validateDeleteTableInput(input as unknown as Record<string, unknown>);
  const table = engine.describableTable(input.TableName);
  // DynamoDB answers a repeated DeleteTable on a DELETING table without error (API Reference, DeleteTable).
  if (table.status === 'DELETING') return { TableDescription: describeTableState(engine, table) };
  assertSettled(table);
  if (table.deletionProtectionEnabled) {
    throw new ValidationException(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
  }
  table.status = 'DELETING';
  const description = describeTableState(engine, table);
  // After the description: modules show the table's settings as they were when DeleteTable answered.
  engine.emitTableEvent('deleting', table);
  engine.scheduleTransition(
    table,
    () => {
      if (engine.tables.get(table.name) === table) engine.tables.delete(table.name);
    },
    'deleted',
  );
  return { TableDescription: description };
}

/** DynamoDB refuses to change a table that is still being created, updated or deleted. */
export function assertSettled(table: TableState): void {
  const doing = { CREATING: 'created', UPDATING: 'updated', DELETING: 'deleted', ACTIVE: undefined }[table.status];
  if (doing) {
    throw new ResourceInUseException(`Attempt to change a resource which is still in use: Table is being ${doing}: ${table.name}`);
  }
}
