/**
 * The module contract (modules/module.ts), proven with a small module written here: what install() receives,
 * the change feed, registered operations (directly and through the AWS SDK request handler), admission hooks,
 * table description contributions, claimed table parameters, snapshots, and the clock's timers.
 */
import { describe, expect, it } from 'vitest';
import {
  createRequestHandler,
  Database,
  ManualClock,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  ValidationException,
  type ChangeBatch,
  type ChangeRecord,
  type CreateTableInput,
  type DatabaseModule,
  type ModuleContext,
  type OperationRequest,
} from '../src/index.js';
import { attributes, keys } from './support/tables.js';

const START = Date.UTC(2024, 0, 1);
const DYNAMODB = 'DynamoDB_20120810' as const;

/** Everything the test module saw. */
interface Recorder {
  context?: ModuleContext;
  readonly batches: ChangeBatch[];
  readonly before: OperationRequest[];
  readonly after: Array<{ request: OperationRequest; output: unknown }>;
  readonly applied: Array<{ table: string; value: unknown; operation: string }>;
  /** Set to make beforeOperation veto matching requests. */
  veto?: ((request: OperationRequest) => boolean) | undefined;
}

/** A module using every part of the contract, recording what it is given. */
function testModule(recorder: Recorder): DatabaseModule {
  return {
    name: 'test',
    install(context) {
      recorder.context = context;
      context.onChange((batch) => recorder.batches.push(batch));
      context.registerOperation({
        service: DYNAMODB,
        name: 'MyOp',
        effect: 'read',
        handler: (input: Record<string, unknown>) => ({
          Echo: input,
          Now: context.clock.now(),
          HasTable: context.getTable('items') !== undefined,
        }),
      });
      context.addAdmissionHook({
        beforeOperation(request) {
          recorder.before.push(request);
          if (recorder.veto?.(request)) {
            throw new ProvisionedThroughputExceededException('The level of configured provisioned throughput for the table was exceeded.');
          }
        },
        afterOperation(request, output) {
          recorder.after.push({ request, output });
        },
      });
      context.handleTableParameter('StreamSpecification', {
        apply(table, value, operation) {
          const spec = value as { StreamEnabled?: boolean; StreamViewType?: string };
          if (spec.StreamViewType === 'KEYS_ONLY') throw new ValidationException('test module refuses KEYS_ONLY');
          recorder.applied.push({ table: table.name, value, operation });
          table.setModuleState('test', value);
        },
      });
      context.contributeTableDescription((table, description) => {
        description.TestModuleField = `seen:${table.name}`;
        const spec = table.getModuleState('test');
        if (spec !== undefined) description.StreamSpecification = spec;
      });
    },
  };
}

function newRecorder(): Recorder {
  return { batches: [], before: [], after: [], applied: [] };
}

const ITEMS_TABLE: CreateTableInput = {
  TableName: 'items',
  KeySchema: keys('pk', 'sk'),
  AttributeDefinitions: attributes({ pk: 'S', sk: 'N' }),
  BillingMode: 'PAY_PER_REQUEST',
};

async function setup(): Promise<{ db: Database; clock: ManualClock; recorder: Recorder }> {
  const clock = new ManualClock(START);
  const recorder = newRecorder();
  const db = new Database({ clock, modules: [testModule(recorder)] });
  await db.createTable(ITEMS_TABLE);
  return { db, clock, recorder };
}

const records = (recorder: Recorder): ChangeRecord[] => recorder.batches.flatMap((b) => [...b.records]);

const decode = (body: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(body));

describe('install', () => {
  it('receives a context carrying the database clock, region and account', () => {
    const clock = new ManualClock(START);
    const recorder = newRecorder();
    const db = new Database({ clock, region: 'eu-west-1', accountId: '123456789012', modules: [testModule(recorder)] });
    expect(recorder.context).toBeDefined();
    expect(recorder.context!.clock).toBe(db.clock);
    expect(recorder.context!.clock.now()).toBe(START);
    expect(recorder.context!.region).toBe('eu-west-1');
    expect(recorder.context!.accountId).toBe('123456789012');
  });

  it('lets a module look tables up, and answers undefined for a missing one', async () => {
    const { recorder } = await setup();
    expect(recorder.context!.getTable('items')?.name).toBe('items');
    expect(recorder.context!.getTable('nope')).toBeUndefined();
  });

  it('tablesVersion changes whenever a name comes to hold another table (create, delete, rollback), not on item writes', async () => {
    const { db, recorder } = await setup();
    const version = () => recorder.context!.tablesVersion();
    const saved = db.savepoint();
    const start = version();
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' } } });
    await db.updateTable({ TableName: 'items', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
    expect(version()).toBe(start);
    await db.createTable({ ...ITEMS_TABLE, TableName: 'other' });
    const created = version();
    expect(created).not.toBe(start);
    db.rollback(saved);
    expect(version()).not.toBe(created);
    const rolledBack = version();
    await db.deleteTable({ TableName: 'items' });
    expect(version()).not.toBe(rolledBack);
  });
});

describe('onChange', () => {
  it('publishes INSERT, MODIFY and REMOVE records with images, keys, table name, origin user, clock timestamps and sequence numbers increasing by one', async () => {
    const { db, clock, recorder } = await setup();
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '007' }, v: { S: 'one' } } });
    await clock.advance(1000);
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '7' }, v: { S: 'two' } } });
    await clock.advance(500);
    await db.deleteItem({ TableName: 'items', Key: { pk: { S: 'a' }, sk: { N: '7.0' } } });

    const [insert, modify, remove] = records(recorder);
    expect(records(recorder)).toHaveLength(3);
    const keys = { pk: { S: 'a' }, sk: { N: '7' } };
    expect(insert).toMatchObject({ tableName: 'items', eventName: 'INSERT', keys, origin: 'user', timestamp: START });
    expect(insert!.oldImage).toBeUndefined();
    expect(insert!.newImage).toEqual({ pk: { S: 'a' }, sk: { N: '7' }, v: { S: 'one' } });

    expect(modify).toMatchObject({ tableName: 'items', eventName: 'MODIFY', keys, origin: 'user', timestamp: START + 1000 });
    expect(modify!.oldImage).toEqual({ pk: { S: 'a' }, sk: { N: '7' }, v: { S: 'one' } });
    expect(modify!.newImage).toEqual({ pk: { S: 'a' }, sk: { N: '7' }, v: { S: 'two' } });

    expect(remove).toMatchObject({ tableName: 'items', eventName: 'REMOVE', keys, origin: 'user', timestamp: START + 1500 });
    expect(remove!.oldImage).toEqual({ pk: { S: 'a' }, sk: { N: '7' }, v: { S: 'two' } });
    expect(remove!.newImage).toBeUndefined();

    expect(Object.keys(insert!.keys).sort()).toEqual(['pk', 'sk']);
    expect(modify!.sequenceNumber).toBe(insert!.sequenceNumber + 1);
    expect(remove!.sequenceNumber).toBe(modify!.sequenceNumber + 1);
    // One batch per single-item write.
    expect(recorder.batches.map((b) => b.records.length)).toEqual([1, 1, 1]);
  });

  it('numbers records across tables in commit order', async () => {
    const { db, recorder } = await setup();
    await db.createTable({ ...ITEMS_TABLE, TableName: 'other' });
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' } } });
    await db.putItem({ TableName: 'other', Item: { pk: { S: 'a' }, sk: { N: '1' } } });
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'b' }, sk: { N: '1' } } });
    const all = records(recorder);
    expect(all.map((r) => r.tableName)).toEqual(['items', 'other', 'items']);
    expect(all.map((r) => r.sequenceNumber - all[0]!.sequenceNumber)).toEqual([0, 1, 2]);
  });

  it('publishes nothing for a put identical to the stored item, even with numbers respelled and sets reordered', async () => {
    const { db, recorder } = await setup();
    const item = { pk: { S: 'a' }, sk: { N: '1' }, n: { N: '1.50' }, ns: { NS: ['1', '2', '3'] }, m: { M: { x: { L: [{ BOOL: true }] } } } };
    await db.putItem({ TableName: 'items', Item: item });
    expect(records(recorder)).toHaveLength(1);

    await db.putItem({ TableName: 'items', Item: item });
    await db.putItem({
      TableName: 'items',
      Item: { m: { M: { x: { L: [{ BOOL: true }] } } }, ns: { NS: ['3', '1', '2.0'] }, n: { N: '15e-1' }, sk: { N: '1' }, pk: { S: 'a' } },
    });
    expect(records(recorder)).toHaveLength(1);

    await db.putItem({ TableName: 'items', Item: { ...item, n: { N: '1.51' } } });
    expect(records(recorder).map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
  });

  it('publishes nothing for a delete of a missing item', async () => {
    const { db, recorder } = await setup();
    const output = await db.deleteItem({ TableName: 'items', Key: { pk: { S: 'missing' }, sk: { N: '1' } }, ReturnValues: 'ALL_OLD' });
    expect(output.Attributes).toBeUndefined();
    expect(recorder.batches).toEqual([]);
  });

  it('publishes nothing, and writes nothing, when a write fails validation or names a missing table', async () => {
    const { db, recorder } = await setup();
    // Missing sort key, wrong key type, duplicate set members, missing table.
    await expect(db.putItem({ TableName: 'items', Item: { pk: { S: 'a' } } })).rejects.toBeInstanceOf(ValidationException);
    await expect(db.putItem({ TableName: 'items', Item: { pk: { N: '1' }, sk: { N: '1' } } })).rejects.toBeInstanceOf(ValidationException);
    await expect(
      db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' }, ns: { NS: ['1', '1.0'] } } }),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(db.deleteItem({ TableName: 'items', Key: { pk: { S: 'a' } } })).rejects.toBeInstanceOf(ValidationException);
    await expect(db.putItem({ TableName: 'nope', Item: { pk: { S: 'a' }, sk: { N: '1' } } })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(recorder.batches).toEqual([]);
    expect((await db.describeTable({ TableName: 'items' })).Table.ItemCount).toBe(0);
  });

  it('stops delivering to a listener once it unsubscribes, while other listeners keep receiving', async () => {
    const { db, recorder } = await setup();
    const mine: ChangeBatch[] = [];
    const unsubscribe = recorder.context!.onChange((batch) => mine.push(batch));
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' } } });
    unsubscribe();
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'b' }, sk: { N: '1' } } });
    expect(mine).toHaveLength(1);
    expect(mine[0]).toBe(recorder.batches[0]);
    expect(recorder.batches).toHaveLength(2);
  });
});

describe('registerOperation', () => {
  it('adds an operation callable through db.execute', async () => {
    const { db, clock } = await setup();
    expect(db.hasOperation(DYNAMODB, 'MyOp')).toBe(true);
    await clock.advance(42);
    expect(await db.execute(DYNAMODB, 'MyOp', { Hello: 'world' })).toEqual({ Echo: { Hello: 'world' }, Now: START + 42, HasTable: true });
  });

  it('adds an operation the AWS SDK request handler serves by its X-Amz-Target', async () => {
    const { db } = await setup();
    const { response } = await createRequestHandler(db).handle({
      headers: { 'x-amz-target': 'DynamoDB_20120810.MyOp' },
      body: '{}',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBeInstanceOf(Uint8Array);
    expect(decode(response.body)).toEqual({ Echo: {}, Now: START, HasTable: true });
  });

  it('leaves operations nobody registered unknown to the request handler', async () => {
    const db = new Database();
    const { response } = await createRequestHandler(db).handle({ headers: { 'x-amz-target': 'DynamoDB_20120810.MyOp' }, body: '{}' });
    expect(response.statusCode).toBe(400);
    expect(decode(response.body)).toMatchObject({ __type: expect.stringMatching(/#UnknownOperationException$/) });
  });
});

describe('admission hooks', () => {
  it('see every operation, with its service, name and input, before it runs', async () => {
    const { db, recorder } = await setup();
    await db.getItem({ TableName: 'items', Key: { pk: { S: 'a' }, sk: { N: '1' } } });
    await db.execute(DYNAMODB, 'MyOp', { X: 1 });
    expect(recorder.before.slice(-2)).toEqual([
      { service: DYNAMODB, operation: 'GetItem', input: { TableName: 'items', Key: { pk: { S: 'a' }, sk: { N: '1' } } } },
      { service: DYNAMODB, operation: 'MyOp', input: { X: 1 } },
    ]);
  });

  it('can veto an operation by throwing a DynamoDB error, and then nothing is written or published', async () => {
    const { db, recorder } = await setup();
    recorder.veto = (request) => request.operation === 'PutItem';
    const afterBefore = recorder.after.length;
    await expect(db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' } } })).rejects.toBeInstanceOf(
      ProvisionedThroughputExceededException,
    );
    expect(recorder.after.length).toBe(afterBefore);
    recorder.veto = undefined;
    expect((await db.getItem({ TableName: 'items', Key: { pk: { S: 'a' }, sk: { N: '1' } } })).Item).toBeUndefined();
    expect((await db.describeTable({ TableName: 'items' })).Table.ItemCount).toBe(0);
    expect(recorder.batches).toEqual([]);
  });

  it('veto through the request handler answers the error on the wire and writes nothing', async () => {
    const { db, recorder } = await setup();
    recorder.veto = (request) => request.operation === 'PutItem';
    const { response } = await createRequestHandler(db).handle({
      headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' },
      body: JSON.stringify({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' } } }),
    });
    expect(response.statusCode).toBe(400);
    expect(decode(response.body)).toMatchObject({
      __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    });
    expect(db.engine.tables.get('items')!.storage.itemCount).toBe(0);
    expect(recorder.batches).toEqual([]);
  });

  it('afterOperation sees the output each operation answered', async () => {
    const { db, recorder } = await setup();
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x' } } });
    const put = await db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_OLD' });
    expect(recorder.after.at(-1)).toEqual({ request: expect.objectContaining({ operation: 'PutItem' }), output: put });
    const got = await db.getItem({ TableName: 'items', Key: { pk: { S: 'a' }, sk: { N: '1' } } });
    expect(recorder.after.at(-1)!.output).toBe(got);
    const mine = await db.execute(DYNAMODB, 'MyOp', {});
    expect(recorder.after.at(-1)).toEqual({ request: expect.objectContaining({ operation: 'MyOp' }), output: mine });
  });
});

describe('table descriptions and parameters', () => {
  it('contributeTableDescription adds fields to CreateTable and DescribeTable descriptions', async () => {
    const recorder = newRecorder();
    const db = new Database({ modules: [testModule(recorder)] });
    const created = await db.createTable({ ...ITEMS_TABLE, TableName: 'described' });
    expect(created.TableDescription.TestModuleField).toBe('seen:described');
    expect((await db.describeTable({ TableName: 'described' })).Table.TestModuleField).toBe('seen:described');
  });

  it('handleTableParameter lets CreateTable accept StreamSpecification and hands the value to the module', async () => {
    const recorder = newRecorder();
    const db = new Database({ modules: [testModule(recorder)] });
    const spec = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
    const created = await db.createTable({ ...ITEMS_TABLE, TableName: 'streamed', StreamSpecification: spec });
    expect(recorder.applied).toEqual([{ table: 'streamed', value: spec, operation: 'CreateTable' }]);
    expect(created.TableDescription.StreamSpecification).toEqual(spec);
    expect((await db.describeTable({ TableName: 'streamed' })).Table.StreamSpecification).toEqual(spec);
  });

  it('a claimed parameter that the module refuses fails CreateTable and leaves no table behind', async () => {
    const recorder = newRecorder();
    const db = new Database({ modules: [testModule(recorder)] });
    await expect(
      db.createTable({ ...ITEMS_TABLE, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
    ).rejects.toThrow('test module refuses KEYS_ONLY');
    expect((await db.listTables()).TableNames).toEqual([]);
    expect(recorder.context!.getTable('items')).toBeUndefined();
  });

  it('without a module claiming it, CreateTable rejects StreamSpecification with a ValidationException naming the streams module, and creates no table', async () => {
    const db = new Database();
    const request = db.createTable({ ...ITEMS_TABLE, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    await expect(request).rejects.toBeInstanceOf(ValidationException);
    await expect(request).rejects.toThrow(/streams module/);
    expect((await db.listTables()).TableNames).toEqual([]);
    await expect(db.describeTable({ TableName: 'items' })).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('snapshotTable', () => {
  it('gives the module a view of the items that later writes do not change', async () => {
    const { db, clock, recorder } = await setup();
    for (let i = 0; i < 10; i++) await db.putItem({ TableName: 'items', Item: { pk: { S: `p${i}` }, sk: { N: String(i) } } });
    await clock.advance(7);
    const snapshot = recorder.context!.snapshotTable('items');
    expect(snapshot.tableName).toBe('items');
    expect(snapshot.takenAt).toBe(START + 7);
    const before = [...snapshot.storage.entries()];

    await db.putItem({ TableName: 'items', Item: { pk: { S: 'p0' }, sk: { N: '0' }, changed: { BOOL: true } } });
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'new' }, sk: { N: '1' } } });
    await db.deleteItem({ TableName: 'items', Key: { pk: { S: 'p1' }, sk: { N: '1' } } });

    expect([...snapshot.storage.entries()]).toEqual(before);
    expect(snapshot.storage.itemCount).toBe(10);
    for (const [key, item] of before) expect(snapshot.storage.get(key)).toEqual(item);
    expect(db.engine.tables.get('items')!.storage.itemCount).toBe(10);
  });

  it('refuses a missing table with ResourceNotFoundException', async () => {
    const { recorder } = await setup();
    expect(() => recorder.context!.snapshotTable('nope')).toThrow(ResourceNotFoundException);
  });
});

describe('clock', () => {
  it('ManualClock.advance fires due timers in due order, ties in scheduling order, timers scheduled by callbacks within the window, and leaves later ones pending', async () => {
    const clock = new ManualClock(START);
    const fired: Array<[string, number]> = [];
    const at = (name: string) => () => fired.push([name, clock.now() - START]);
    clock.setTimer(30, at('c'));
    clock.setTimer(10, () => {
      at('a')();
      clock.setTimer(5, at('a-child'));
    });
    clock.setTimer(20, at('b'));
    clock.setTimer(10, at('a-tie'));
    const cancel = clock.setTimer(15, at('cancelled'));
    cancel();

    await clock.advance(25);
    expect(fired).toEqual([
      ['a', 10],
      ['a-tie', 10],
      ['a-child', 15],
      ['b', 20],
    ]);
    expect(clock.now()).toBe(START + 25);
    expect(clock.pendingTimers).toBe(1);

    await clock.advance(5);
    expect(fired.at(-1)).toEqual(['c', 30]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('timers a module schedules on the context clock fire when the database clock advances', async () => {
    const { clock, recorder } = await setup();
    const fired: number[] = [];
    recorder.context!.clock.setTimer(60_000, () => fired.push(clock.now()));
    await clock.advance(59_999);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([START + 60_000]);
  });

  it('table transitions wait for the clock: CREATING until tableTransitionMs has passed, then ACTIVE', async () => {
    const clock = new ManualClock(START);
    const db = new Database({ clock, tableTransitionMs: 1000 });
    expect((await db.createTable(ITEMS_TABLE)).TableDescription.TableStatus).toBe('CREATING');
    await expect(db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' } } })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await clock.advance(999);
    expect((await db.describeTable({ TableName: 'items' })).Table.TableStatus).toBe('CREATING');
    await clock.advance(1);
    expect((await db.describeTable({ TableName: 'items' })).Table.TableStatus).toBe('ACTIVE');
  });
});
