/**
 * The operation catalog (operations/catalog.ts, ModuleContext.registerOperation): every operation a
 * database serves is an entry with an effect; the request handler serves a module's own service; durable
 * storage follows a module's catalog operations and catalogChanged() without being told their names, and
 * keeps a transaction's ClientRequestToken with its change batch.
 */
import { describe, expect, it } from 'vitest';
import {
  createRequestHandler,
  Database,
  durableStorage,
  IdempotentParameterMismatchException,
  ManualClock,
  ttl,
  type DatabaseModule,
  type OperationEffect,
  type PersistentModule,
} from '../src/index.js';
import { DYNAMODB_OPERATIONS } from '../src/operations/catalog.js';
import { GatedDevice } from './support/gated-device.js';
import { attributes, keys } from './support/tables.js';

declare module '../src/index.js' {
  interface Services {
    AnyScaleFrontendService: true;
  }
}

const DYNAMODB = 'DynamoDB_20120810' as const;
const EFFECTS: readonly OperationEffect[] = ['read', 'write', 'catalog'];

/**
 * A module keeping one setting per table (a "widget") in its own map: set by its catalog operation
 * SetWidget, or on a timer by ArmWidget (announced with catalogChanged), read by GetWidget.
 */
function widgets(): DatabaseModule & PersistentModule {
  const settings = new Map<string, string>();
  return {
    name: 'widgets',
    persistTableState: (table) => settings.get(table.name),
    restoreTableState: (table, state) => void settings.set(table.name, state as string),
    install(context) {
      context.registerOperation({
        service: DYNAMODB,
        name: 'SetWidget',
        effect: 'catalog',
        handler: (input: { TableName: string; Widget: string }) => {
          settings.set(input.TableName, input.Widget);
          return {};
        },
      });
      context.registerOperation({
        service: DYNAMODB,
        name: 'ArmWidget',
        effect: 'read',
        handler: (input: { TableName: string }) => {
          context.clock.setTimer(1000, () => {
            settings.set(input.TableName, 'armed');
            context.catalogChanged(input.TableName);
          });
          return {};
        },
      });
      context.registerOperation({ service: DYNAMODB, name: 'GetWidget', effect: 'read', handler: (input: { TableName: string }) => ({ Widget: settings.get(input.TableName) }) });
    },
  };
}

/** A database on `device` with the widgets module, opened; a "crash" is opening another on the same device without closing this one. */
async function openOn(device: GatedDevice, clock: ManualClock): Promise<Database> {
  const db = new Database({ clock, storage: durableStorage(device), modules: [widgets()] });
  await db.open();
  return db;
}

async function createTable(db: Database, TableName: string): Promise<void> {
  await db.createTable({ TableName, KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
}

describe('operation catalog', () => {
  it('registers every catalog operation and every module operation as an entry with an effect', () => {
    const db = new Database({ modules: [ttl(), widgets()] });
    for (const name of [...Object.keys(DYNAMODB_OPERATIONS), 'UpdateTimeToLive', 'DescribeTimeToLive', 'SetWidget']) {
      expect(db.hasOperation(DYNAMODB, name)).toBe(true);
    }
    for (const [key, entry] of db.engine.operations) {
      expect(key).toBe(`${entry.service}.${entry.name}`);
      expect(EFFECTS).toContain(entry.effect);
    }
    expect(db.engine.operations.get(`${DYNAMODB}.UpdateTimeToLive`)?.effect).toBe('catalog');
    expect(db.engine.operations.get(`${DYNAMODB}.PutItem`)?.effect).toBe('write');
  });

  it("serves a module's operations of another service by their X-Amz-Target", async () => {
    const scaling: DatabaseModule = {
      name: 'scaling',
      install(context) {
        context.registerOperation({ service: 'AnyScaleFrontendService', name: 'DescribeScalableTargets', effect: 'read', handler: () => ({ ScalableTargets: [] }) });
      },
    };
    const db = new Database({ modules: [scaling] });
    expect(db.hasOperation('AnyScaleFrontendService', 'DescribeScalableTargets')).toBe(true);
    const { response } = await createRequestHandler(db).handle({ headers: { 'x-amz-target': 'AnyScaleFrontendService.DescribeScalableTargets' }, body: '{}' });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({ ScalableTargets: [] });
  });
});

describe('durable storage follows the catalog', () => {
  it("logs a module's catalog operation it was never told about: its state survives a crash", async () => {
    const device = new GatedDevice();
    const clock = new ManualClock(0);
    const db = await openOn(device, clock);
    await createTable(db, 'gadgets');
    await db.execute(DYNAMODB, 'SetWidget', { TableName: 'gadgets', Widget: 'blue' });
    const reopened = await openOn(device, clock);
    expect(await reopened.execute(DYNAMODB, 'GetWidget', { TableName: 'gadgets' })).toEqual({ Widget: 'blue' });
  });

  it('logs module state changed on a timer once catalogChanged() names its table', async () => {
    const device = new GatedDevice();
    const clock = new ManualClock(0);
    const db = await openOn(device, clock);
    await createTable(db, 'gadgets');
    await db.execute(DYNAMODB, 'ArmWidget', { TableName: 'gadgets' });
    await clock.advance(1000);
    await db.getItem({ TableName: 'gadgets', Key: { id: { S: 'x' } } });
    const reopened = await openOn(device, clock);
    expect(await reopened.execute(DYNAMODB, 'GetWidget', { TableName: 'gadgets' })).toEqual({ Widget: 'armed' });
  });

  it('keeps the ClientRequestToken of a TransactWriteItems that changed no item across a crash', async () => {
    const device = new GatedDevice();
    const clock = new ManualClock(0);
    const db = await openOn(device, clock);
    await createTable(db, 'gadgets');
    const check = { ConditionCheck: { TableName: 'gadgets', Key: { id: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(id)' } };
    await db.transactWriteItems({ ClientRequestToken: 'once', TransactItems: [check] });
    const reopened = await openOn(device, clock);
    const other = { ...check, ConditionCheck: { ...check.ConditionCheck, Key: { id: { S: 'y' } } } };
    await expect(reopened.transactWriteItems({ ClientRequestToken: 'once', TransactItems: [other] })).rejects.toBeInstanceOf(IdempotentParameterMismatchException);
  });
});
