import * as sdk from '@aws-sdk/client-dynamodb';
import { createRequestHandler, Database, ManualClock, type Item } from '@magneto/core';
import { dax } from '@magneto/dax';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/*
 * Model-based: random interleavings of reads and writes through the accelerator and around it (on the
 * Database directly), on a ManualClock, checked against a reference model of what DAX's rules allow each
 * read to return:
 *
 *  - an eventually consistent GetItem or BatchGetItem returns a version the item had at some moment of the
 *    last record TTL (a cached read or write-through is never older than that) — never a value a failed
 *    write tried to store;
 *  - after a write through the accelerator with no write around it since, within the TTL, exactly the
 *    current item (DAX's write-through: "any user who reads the item from DAX will see the item with
 *    Alice's update");
 *  - a strongly consistent read, and TransactGetItems, the current item;
 *  - a Scan returns the table exactly as it was at some moment of the last query TTL.
 *
 * Every written value is unique, so a value names the write that produced it. Run against both
 * placements: `dax(db)` and `dax(client)` over createRequestHandler. MAGNETO_STRESS=1 runs many more cases.
 */

const TTL = 1000;
const IDS = ['a', 'b', 'c'] as const;
type Id = (typeof IDS)[number];

type Action =
  | { kind: 'put' | 'putAround' | 'delete' | 'deleteAround' | 'update' | 'updateAround'; id: Id; returnValues?: string }
  | { kind: 'failedPut' | 'failedUpdate'; id: Id }
  | { kind: 'batchWrite'; puts: Id[]; deletes: Id[] }
  | { kind: 'transact'; puts: Id[]; fails: boolean }
  | { kind: 'get' | 'consistentGet'; id: Id; projected: boolean }
  | { kind: 'batchGet'; ids: Id[] }
  | { kind: 'transactGet'; id: Id }
  | { kind: 'scan' }
  | { kind: 'advance'; ms: number };

const id = fc.constantFrom(...IDS);
const ids = fc.uniqueArray(id, { minLength: 1, maxLength: 3 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constantFrom('put', 'putAround', 'delete', 'deleteAround', 'updateAround'), id }),
  fc.record({ kind: fc.constant('update'), id, returnValues: fc.constantFrom('NONE', 'ALL_NEW', 'ALL_OLD', 'UPDATED_NEW', 'UPDATED_OLD') }),
  fc.record({ kind: fc.constantFrom('failedPut', 'failedUpdate'), id }),
  fc.record({ kind: fc.constant('batchWrite'), puts: fc.uniqueArray(id, { maxLength: 2 }), deletes: fc.uniqueArray(id, { maxLength: 2 }) }).filter((a) => a.puts.length + a.deletes.length > 0 && !a.puts.some((p) => a.deletes.includes(p))),
  fc.record({ kind: fc.constant('transact'), puts: ids, fails: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('get', 'consistentGet'), id, projected: fc.boolean() }),
  fc.record({ kind: fc.constant('batchGet'), ids }),
  fc.record({ kind: fc.constant('transactGet'), id }),
  fc.record({ kind: fc.constant('scan') }),
  // Steps around the TTL's edges, where a stale entry must have expired.
  fc.record({ kind: fc.constant('advance'), ms: fc.oneof(fc.constantFrom(1, TTL - 1, TTL, TTL + 1), fc.integer({ min: 0, max: 1500 })) }),
) as fc.Arbitrary<Action>;

/** One version of an item: its value (null: absent) and when it became current. */
interface Version {
  readonly value: number | null;
  readonly from: number;
}

/** The reference model: every version of every item, and which writes went through. */
class Model {
  readonly versions = new Map<Id, Version[]>(IDS.map((i) => [i, [{ value: null, from: 0 }]]));
  /** When each item was last written through the accelerator, unless a write around it came after. */
  readonly freshThrough = new Map<Id, number>();
  private readonly tableVersions: { at: number; table: Map<Id, number> }[] = [{ at: 0, table: new Map() }];

  constructor(private readonly clock: ManualClock) {}

  write(i: Id, value: number | null, through: boolean): void {
    const now = this.clock.now();
    this.versions.get(i)!.push({ value, from: now });
    if (through) this.freshThrough.set(i, now);
    else this.freshThrough.delete(i);
    const table = new Map(this.tableVersions.at(-1)!.table);
    if (value === null) table.delete(i);
    else table.set(i, value);
    this.tableVersions.push({ at: now, table });
  }

  current(i: Id): number | null {
    return this.versions.get(i)!.at(-1)!.value;
  }

  /** The values item `i` had at some moment of (now - TTL, now]. */
  allowed(i: Id): (number | null)[] {
    const now = this.clock.now();
    const fresh = this.freshThrough.get(i);
    if (fresh !== undefined && now - fresh < TTL) return [this.current(i)];
    return withinWindow(this.versions.get(i)!.map((v) => [v.from, v.value] as const), now).map(([, value]) => value);
  }

  /** The table's contents at some moment of (now - TTL, now], as sorted [id, value] lists. */
  allowedTables(): string[] {
    return withinWindow(this.tableVersions.map((v) => [v.at, v.table] as const), this.clock.now()).map(([, table]) => JSON.stringify([...table].sort()));
  }
}

/** The entries of a history (oldest first, each current from its time until the next one's) current at some moment of (now - TTL, now]. */
function withinWindow<T>(history: readonly (readonly [from: number, value: T])[], now: number): (readonly [number, T])[] {
  return history.filter(([from], index) => {
    const until = history[index + 1]?.[0] ?? Infinity;
    // Closed at `until`: a read in the same millisecond as the next write may have come before it.
    return from <= now && until > now - TTL;
  });
}

interface Placement {
  name: string;
  /** A DynamoDB operation through the accelerator, in AttributeValue form. */
  through(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

async function createPlacement(kind: 'database' | 'client', db: Database, clock: ManualClock): Promise<Placement> {
  if (kind === 'database') {
    const cached = dax(db, { recordTtlMillis: TTL, queryTtlMillis: TTL });
    return { name: kind, through: (operation, input) => cached.execute('DynamoDB_20120810', operation, input) as Promise<Record<string, unknown>> };
  }
  const client = new sdk.DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
  const cached = dax(client, { recordTtlMillis: TTL, queryTtlMillis: TTL, clock });
  const commands = sdk as unknown as Record<string, new (input: unknown) => never>;
  return { name: kind, through: (operation, input) => cached.send(new commands[`${operation}Command`]!(input)) as unknown as Promise<Record<string, unknown>> };
}

const key = (i: Id) => ({ id: { S: i } });
const item = (i: Id, value: number): Item => ({ id: { S: i }, v: { N: String(value) } });
const valueOf = (found: unknown): number | null => (found === undefined ? null : Number((found as { v: { N: string } }).v.N));

async function run(kind: 'database' | 'client', actions: readonly Action[]): Promise<void> {
  const clock = new ManualClock(1_000_000);
  const db = new Database({ clock });
  await db.createTable({
    TableName: 'items',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const model = new Model(clock);
  const { through } = await createPlacement(kind, db, clock);
  let next = 1;
  const checkRead = (i: Id, found: unknown, step: number) => {
    expect(model.allowed(i), `step ${step}: read of ${i}`).toContainEqual(valueOf(found));
  };
  for (const [step, a] of actions.entries()) {
    switch (a.kind) {
      case 'put':
      case 'putAround': {
        const value = next++;
        const input = { TableName: 'items', Item: item(a.id, value) };
        await (a.kind === 'put' ? through('PutItem', input) : db.putItem(input));
        model.write(a.id, value, a.kind === 'put');
        break;
      }
      case 'delete':
      case 'deleteAround':
        await (a.kind === 'delete' ? through('DeleteItem', { TableName: 'items', Key: key(a.id) }) : db.deleteItem({ TableName: 'items', Key: key(a.id) }));
        model.write(a.id, null, a.kind === 'delete');
        break;
      case 'update':
      case 'updateAround': {
        const value = next++;
        const input = { TableName: 'items', Key: key(a.id), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: String(value) } }, ...(a.returnValues ? { ReturnValues: a.returnValues } : {}) };
        await (a.kind === 'update' ? through('UpdateItem', input) : db.updateItem(input as never));
        model.write(a.id, value, a.kind === 'update');
        break;
      }
      case 'failedPut':
      case 'failedUpdate': {
        const value = next++;
        const refused =
          a.kind === 'failedPut'
            ? through('PutItem', { TableName: 'items', Item: item(a.id, value), ConditionExpression: 'v = :never', ExpressionAttributeValues: { ':never': { N: '-1' } } })
            : through('UpdateItem', { TableName: 'items', Key: key(a.id), UpdateExpression: 'SET v = :v', ConditionExpression: 'attribute_exists(never)', ExpressionAttributeValues: { ':v': { N: String(value) } } });
        await expect(refused).rejects.toThrow();
        break;
      }
      case 'batchWrite': {
        const values = a.puts.map(() => next++);
        await through('BatchWriteItem', {
          RequestItems: { items: [...a.puts.map((i, n) => ({ PutRequest: { Item: item(i, values[n]!) } })), ...a.deletes.map((i) => ({ DeleteRequest: { Key: key(i) } }))] },
        });
        a.puts.forEach((i, n) => model.write(i, values[n]!, true));
        for (const i of a.deletes) model.write(i, null, true);
        break;
      }
      case 'transact': {
        const values = a.puts.map(() => next++);
        const condition = a.fails ? { ConditionExpression: 'v = :never', ExpressionAttributeValues: { ':never': { N: '-1' } } } : {};
        const written = through('TransactWriteItems', { TransactItems: a.puts.map((i, n) => ({ Put: { TableName: 'items', Item: item(i, values[n]!), ...condition } })) });
        if (a.fails) await expect(written).rejects.toThrow();
        else {
          await written;
          a.puts.forEach((i, n) => model.write(i, values[n]!, true));
        }
        break;
      }
      case 'get':
      case 'consistentGet': {
        const projection = a.projected ? { ProjectionExpression: 'id, v' } : {};
        const output = await through('GetItem', { TableName: 'items', Key: key(a.id), ...projection, ...(a.kind === 'consistentGet' ? { ConsistentRead: true } : {}) });
        if (a.kind === 'consistentGet') expect(valueOf(output.Item), `step ${step}`).toBe(model.current(a.id));
        else checkRead(a.id, output.Item, step);
        break;
      }
      case 'batchGet': {
        const output = await through('BatchGetItem', { RequestItems: { items: { Keys: a.ids.map(key) } } });
        const found = new Map(((output.Responses as Record<string, Item[]>).items ?? []).map((it) => [(it.id as { S: Id }).S, it]));
        for (const i of a.ids) checkRead(i, found.get(i), step);
        break;
      }
      case 'transactGet': {
        const output = await through('TransactGetItems', { TransactItems: [{ Get: { TableName: 'items', Key: key(a.id) } }] });
        expect(valueOf((output.Responses as { Item?: Item }[])[0]?.Item), `step ${step}`).toBe(model.current(a.id));
        break;
      }
      case 'scan': {
        const output = await through('Scan', { TableName: 'items' });
        const seen = JSON.stringify((output.Items as Item[]).map((it) => [(it.id as { S: Id }).S, valueOf(it)]).sort());
        expect(model.allowedTables(), `step ${step}: scan`).toContain(seen);
        break;
      }
      case 'advance':
        await clock.advance(a.ms);
        break;
    }
  }
}

const RUNS = process.env.MAGNETO_STRESS ? 1000 : 100;

describe('model: reads through the accelerator return only what DAX allows', () => {
  for (const kind of ['database', 'client'] as const) {
    it(`dax(${kind === 'database' ? 'db' : 'client'}): random interleavings of reads and writes through and around it`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(action, { maxLength: 40 }), (actions) => run(kind, actions)),
        { numRuns: RUNS },
      );
    }, process.env.MAGNETO_STRESS ? 900_000 : 60_000);
  }

  it('a read-your-writes counterexample is caught: the model is not vacuous', async () => {
    // A write around after a write through, then a read: the model allows both values, and the accelerator gives the old one.
    await run('database', [
      { kind: 'get', id: 'a', projected: false },
      { kind: 'putAround', id: 'a' },
      { kind: 'advance', ms: TTL },
      { kind: 'get', id: 'a', projected: false },
      { kind: 'put', id: 'a' },
      { kind: 'putAround', id: 'a' },
      { kind: 'get', id: 'a', projected: false },
    ]);
    const clock = new ManualClock(0);
    const model = new Model(clock);
    model.write('a', 1, true);
    expect(model.allowed('a')).toEqual([1]);
    model.write('a', 2, false);
    expect(model.allowed('a')).toEqual([null, 1, 2]);
    await clock.advance(TTL + 1);
    expect(model.allowed('a')).toEqual([2]);
  });
});
