import type { Engine } from '../engine.js';
import { ValidationException } from '../errors.js';
import { describeTableState, type TableDescription } from '../tables/table-description.js';
import type { BillingMode, TableClass } from '../tables/table-state.js';
import { assertSettled } from './delete-table.js';
import { applyModuleParameters, checkModuleParameters } from './table-parameters.js';
import { validateUpdateTableInput } from './validation/validate-update-table-input.js';

export interface UpdateTableInput {
  TableName: string;
  BillingMode?: BillingMode;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  TableClass?: TableClass;
  DeletionProtectionEnabled?: boolean;
  /** Parameters implemented by modules (e.g. StreamSpecification). */
  [parameter: string]: unknown;
}
export interface UpdateTableOutput {
  TableDescription: TableDescription;
}

/**
 * UpdateTable: changes billing mode, provisioned throughput, table class or deletion protection.
 * The table answers UPDATING and turns ACTIVE again after `tableTransitionMs`.
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

  table.status = 'UPDATING';
  const description = describeTableState(engine, table);
  engine.scheduleTransition(table, () => {
    settleThroughput?.();
    table.status = 'ACTIVE';
  });
  return { TableDescription: description };
}
