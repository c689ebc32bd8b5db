import type { Engine } from '../engine.js';
import { INVALID, LimitExceededException, ResourceNotFoundException, ValidationException } from '../errors.js';
import { newSecondaryIndex, type IndexProjection, type SecondaryIndex } from '../tables/secondary-index.js';
import { describeTableState, type TableDescription } from '../tables/table-description.js';
import type { AttributeDefinition, BillingMode, KeySchemaElement, TableClass, TableState } from '../tables/table-state.js';
import { backfillIndex } from '../tables/backfill-index.js';
import { assertSettled } from './delete-table.js';
import { applyModuleParameters, checkModuleParameters } from './table-parameters.js';
import { checkIndexKeySchema, checkIndexProjection, MAX_GSIS } from './validation/validate-create-table-input.js';
import { validateUpdateTableInput } from './validation/validate-update-table-input.js';

type Throughput = { ReadCapacityUnits: number; WriteCapacityUnits: number };

/** One entry of UpdateTable's GlobalSecondaryIndexUpdates. */
export interface GlobalSecondaryIndexUpdate {
  Create?: { IndexName: string; KeySchema: KeySchemaElement[]; Projection: IndexProjection; ProvisionedThroughput?: Throughput };
  Delete?: { IndexName: string };
  Update?: { IndexName: string; ProvisionedThroughput?: Throughput };
}

export interface UpdateTableInput {
  TableName: string;
  BillingMode?: BillingMode;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  TableClass?: TableClass;
  DeletionProtectionEnabled?: boolean;
  AttributeDefinitions?: AttributeDefinition[];
  GlobalSecondaryIndexUpdates?: GlobalSecondaryIndexUpdate[];
  /** Parameters implemented by modules (e.g. StreamSpecification). */
  [parameter: string]: unknown;
}
export interface UpdateTableOutput {
  TableDescription: TableDescription;
}

/**
 * UpdateTable: changes billing mode, provisioned throughput, table class or deletion protection.
 * The table answers UPDATING and turns ACTIVE again after `tableTransitionMs`.
 *
 * @internal
 */
export function updateTable(engine: Engine, input: UpdateTableInput): UpdateTableOutput {
  validateUpdateTableInput(input);
  checkModuleParameters(engine, input);
  const table = engine.describableTable(input.TableName);
  assertSettled(table);

  const billingMode = input.BillingMode ?? table.billingMode;
  const throughput = input.ProvisionedThroughput;
  if (billingMode === 'PAY_PER_REQUEST' && throughput) {
    throw new ValidationException(
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  }
  if (billingMode === 'PROVISIONED' && table.billingMode === 'PAY_PER_REQUEST' && !throughput) {
    throw new ValidationException(
      'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED',
    );
  }
  const current = table.throughput;
  if (
    throughput &&
    table.billingMode === 'PROVISIONED' &&
    throughput.ReadCapacityUnits === current.readCapacityUnits &&
    throughput.WriteCapacityUnits === current.writeCapacityUnits
  ) {
    throw new ValidationException(
      'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
        `Current ReadCapacityUnits provisioned for the table: ${current.readCapacityUnits}. ` +
        `Requested ReadCapacityUnits: ${throughput.ReadCapacityUnits}. ` +
        `Current WriteCapacityUnits provisioned for the table: ${current.writeCapacityUnits}. ` +
        `Requested WriteCapacityUnits: ${throughput.WriteCapacityUnits}. ` +
        'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
  }
  const applyIndexUpdates = planIndexUpdates(engine, table, input, billingMode);
  applyModuleParameters(engine, table, input, 'UpdateTable');

  const now = engine.clock.now();
  const wasPayPerRequest = table.billingMode === 'PAY_PER_REQUEST';
  if (billingMode === 'PAY_PER_REQUEST' && table.billingMode !== 'PAY_PER_REQUEST') {
    table.lastUpdateToPayPerRequestDateTime = now;
    table.throughput = { ...current, readCapacityUnits: 0, writeCapacityUnits: 0 };
  }
  table.billingMode = billingMode;
  let settleThroughput: (() => void) | undefined;
  if (throughput) {
    // As on DynamoDB: while UPDATING the description still shows the old units, with the increase or
    // decrease already stamped; the new units, a fresh stamp and the day's decrease count arrive with ACTIVE.
    const increased =
      throughput.ReadCapacityUnits > current.readCapacityUnits || throughput.WriteCapacityUnits > current.writeCapacityUnits;
    const decreased =
      current.readCapacityUnits + current.writeCapacityUnits > 0 &&
      (throughput.ReadCapacityUnits < current.readCapacityUnits || throughput.WriteCapacityUnits < current.writeCapacityUnits);
    const stamp = (at: number) => {
      if (increased) table.throughput.lastIncreaseDateTime = at;
      if (decreased) table.throughput.lastDecreaseDateTime = at;
    };
    table.throughput = { ...table.throughput };
    stamp(now);
    const settle = () => {
      table.throughput = {
        ...table.throughput,
        readCapacityUnits: throughput.ReadCapacityUnits,
        writeCapacityUnits: throughput.WriteCapacityUnits,
        numberOfDecreasesToday: table.throughput.numberOfDecreasesToday + (decreased ? 1 : 0),
      };
      stamp(engine.clock.now());
    };
    // Switching from on-demand has no old units to show: the new ones apply at once.
    if (wasPayPerRequest) settle();
    else settleThroughput = settle;
  }
  if (input.TableClass !== undefined) table.tableClass = input.TableClass;
  if (input.DeletionProtectionEnabled !== undefined) table.deletionProtectionEnabled = input.DeletionProtectionEnabled;
  const settleIndexes = applyIndexUpdates?.();

  table.status = 'UPDATING';
  const description = describeTableState(engine, table);
  engine.emitTableEvent('updating', table);
  engine.scheduleTransition(
    table,
    () => {
      settleThroughput?.();
      settleIndexes?.();
      table.status = 'ACTIVE';
    },
    'active',
  );
  return { TableDescription: description };
}

function indexNotFound(name: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Requested resource not found: Index: ${name} not found`);
}

/**
 * Validates GlobalSecondaryIndexUpdates against the table (nothing changes yet) and returns the step
 * that applies them, which returns the step that settles them when the table turns ACTIVE again:
 * a created GSI is backfilled at once and answers CREATING (Backfilling) until then; a deleted one
 * answers DELETING and disappears, its now unused AttributeDefinitions pruned; an Update's new
 * throughput shows once settled.
 */
function planIndexUpdates(
  engine: Engine,
  table: TableState,
  input: UpdateTableInput,
  billingMode: BillingMode,
): (() => () => void) | undefined {
  const updates = input.GlobalSecondaryIndexUpdates;
  if (updates === undefined || updates === null || updates.length === 0) return undefined;
  const onlineChanges = updates.filter((u) => u.Create !== undefined && u.Create !== null).length +
    updates.filter((u) => u.Delete !== undefined && u.Delete !== null).length;
  if (onlineChanges > 1) {
    throw new LimitExceededException('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  }
  const payPerRequest = billingMode === 'PAY_PER_REQUEST';
  const steps: Array<() => (() => void) | undefined> = [];
  for (const update of updates) {
    if (update.Create) {
      const create = update.Create;
      const name = create.IndexName;
      if (table.index(name) !== undefined) throw new ValidationException('Attempting to create an index which already exists');
      if (table.globalIndexes.length >= MAX_GSIS) {
        throw new LimitExceededException(`Subscriber limit exceeded: GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GSIS}`);
      }
      // The new key attributes' definitions: the request's, else the table's.
      const definitions: AttributeDefinition[] = [];
      for (const element of create.KeySchema) {
        const definition =
          input.AttributeDefinitions?.find((d) => d.AttributeName === element.AttributeName) ??
          table.attributeDefinitions.find((d) => d.AttributeName === element.AttributeName);
        if (definition === undefined) throw new ValidationException(`${INVALID}AttributeDefinitions is not specified for index: ${name}`);
        definitions.push({ AttributeName: definition.AttributeName, AttributeType: definition.AttributeType });
      }
      checkIndexKeySchema(create as unknown as Record<string, unknown>, definitions.map((d) => d.AttributeName), true);
      checkIndexProjection(create.Projection as unknown as Record<string, unknown>);
      const units = create.ProvisionedThroughput;
      if (payPerRequest && units) {
        throw new ValidationException(
          `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`,
        );
      }
      if (!payPerRequest && !units) throw new ValidationException(`${INVALID}ProvisionedThroughput must be specified for index: ${name}`);
      steps.push(() => {
        const merged = [...table.attributeDefinitions];
        for (const d of definitions) if (!merged.some((m) => m.AttributeName === d.AttributeName)) merged.push(d);
        table.attributeDefinitions = merged;
        const index = newSecondaryIndex(
          {
            name,
            kind: 'GSI',
            keySchemaElements: create.KeySchema,
            projection: create.Projection,
            status: 'CREATING',
            backfilling: true,
            throughput: { readCapacityUnits: units?.ReadCapacityUnits ?? 0, writeCapacityUnits: units?.WriteCapacityUnits ?? 0, numberOfDecreasesToday: 0 },
          },
          merged,
          table.keySchema,
          table.arn,
          engine.storageLayout,
        );
        backfillIndex(table, index);
        table.indexes = [...table.indexes, index];
        return () => {
          index.status = 'ACTIVE';
          index.backfilling = false;
        };
      });
    } else if (update.Delete) {
      const index = existingGsi(table, update.Delete.IndexName, 'delete');
      steps.push(() => {
        index.status = 'DELETING';
        return () => {
          table.indexes = table.indexes.filter((i) => i !== index);
          pruneAttributeDefinitions(table);
        };
      });
    } else if (update.Update) {
      const index = existingGsi(table, update.Update.IndexName, 'update');
      const units = update.Update.ProvisionedThroughput;
      if (units && payPerRequest) {
        throw new ValidationException(
          `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${index.name} when BillingMode is PAY_PER_REQUEST`,
        );
      }
      if (!units) continue;
      steps.push(() => {
        index.status = 'UPDATING';
        return () => {
          const current = index.throughput!;
          const decreased = units.ReadCapacityUnits < current.readCapacityUnits || units.WriteCapacityUnits < current.writeCapacityUnits;
          const increased = units.ReadCapacityUnits > current.readCapacityUnits || units.WriteCapacityUnits > current.writeCapacityUnits;
          const now = engine.clock.now();
          index.throughput = {
            readCapacityUnits: units.ReadCapacityUnits,
            writeCapacityUnits: units.WriteCapacityUnits,
            numberOfDecreasesToday: current.numberOfDecreasesToday + (decreased ? 1 : 0),
            lastIncreaseDateTime: increased ? now : current.lastIncreaseDateTime,
            lastDecreaseDateTime: decreased ? now : current.lastDecreaseDateTime,
          };
          index.status = 'ACTIVE';
        };
      });
    }
  }
  return () => {
    const settles = steps.map((step) => step());
    return () => {
      for (const settle of settles) settle?.();
    };
  };
}

function existingGsi(table: TableState, name: string, action: 'delete' | 'update'): SecondaryIndex {
  const index = table.index(name);
  if (index === undefined) throw indexNotFound(name);
  if (index.kind !== 'GSI') throw new ValidationException(`Cannot ${action} an index that is not a GlobalSecondaryIndex: ${name}`);
  return index;
}

/** Drops the AttributeDefinitions no key of the table or of its indexes uses any more. */
function pruneAttributeDefinitions(table: TableState): void {
  const used = new Set(table.keySchemaElements.map((e) => e.AttributeName));
  for (const index of table.indexes) for (const e of index.keySchemaElements) used.add(e.AttributeName);
  table.attributeDefinitions = table.attributeDefinitions.filter((d) => used.has(d.AttributeName));
}
