import { ResourceInUseException, ResourceNotFoundException, type ModuleContext, type OperationRequest } from '@magneto/core';
import type { ImportJob } from './import-job.js';

/** Operations on a table's items: DynamoDB answers them "Requested resource not found" while the table is created. */
const ITEM_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems']);
/** Operations that change a table: refused while it is created. */
const TABLE_CHANGES = new Set(['UpdateTable', 'DeleteTable']);

/**
 * Makes a table an import is loading look and act as DynamoDB's does until the import ends: DescribeTable
 * (and every TableDescription) shows it CREATING, reads and writes of its items are refused with
 * ResourceNotFoundException, UpdateTable and DeleteTable with ResourceInUseException. `importing` holds the
 * imports in progress by table name; with none, a request pays one size check.
 */
export function guardImportingTables(context: ModuleContext, importing: ReadonlyMap<string, ImportJob>): void {
  context.contributeTableDescription((table, description) => {
    if (importing.size > 0 && importing.get(table.name)?.tableId === table.id) description.TableStatus = 'CREATING';
  });
  context.addAdmissionHook({
    readsConsumedCapacity: false,
    beforeOperation(request) {
      if (importing.size === 0 || request.service !== 'DynamoDB_20120810') return;
      const itemOperation = ITEM_OPERATIONS.has(request.operation);
      if (!itemOperation && !TABLE_CHANGES.has(request.operation)) return;
      for (const name of tableNamesOf(request)) {
        const tableName = context.tableNameOf(name);
        if (!importing.has(tableName)) continue;
        if (itemOperation) throw new ResourceNotFoundException('Requested resource not found');
        throw new ResourceInUseException(`Attempt to change a resource which is still in use: Table is being created: ${tableName}`);
      }
    },
  });
}

/** The tables a request names: TableName, the keys of RequestItems, each TransactItems action's TableName. */
function tableNamesOf(request: OperationRequest): string[] {
  const { TableName, RequestItems, TransactItems } = request.input;
  const names: string[] = [];
  if (typeof TableName === 'string') names.push(TableName);
  if (RequestItems !== null && typeof RequestItems === 'object') names.push(...Object.keys(RequestItems));
  if (Array.isArray(TransactItems)) {
    for (const action of TransactItems as unknown[]) {
      if (action === null || typeof action !== 'object') continue;
      for (const member of Object.values(action)) {
        const name = (member as { TableName?: unknown } | null)?.TableName;
        if (typeof name === 'string') names.push(name);
      }
    }
  }
  return names;
}
