import { itemSize, type ChangeRecord, type Item, type Key } from '@magneto/core';

/** How precisely `ApproximateCreationDateTime` is written: epoch milliseconds, or epoch microseconds. */
export type ApproximateCreationDateTimePrecision = 'MILLISECOND' | 'MICROSECOND';

/**
 * One record as Kinesis Data Streams' GetRecords returns it (the AWS SDK's `_Record` shape):
 * `Data` is the UTF-8 JSON of a {@link DynamoDBKinesisRecordData}. Read-only: consumers share it.
 *
 * @example
 * await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn: streamArn }));
 * await orders.put({ org: 'acme', id: 'o2', status: 'OPEN', total: 80, user: 'ada' });
 * const [record] = consumer.read(1);
 * const change = parseKinesisRecordData(record!); // { eventName: 'INSERT', dynamodb: { NewImage: … }, … }
 */
export interface KinesisRecord {
  /** Increasing numeric string, unique within the stream (56 digits, like Kinesis's). */
  readonly SequenceNumber: string;
  /** What DynamoDB partitions the Kinesis stream by: 32 hexadecimal digits derived from the item's table and partition key. */
  readonly PartitionKey: string;
  /** When the record reached the stream (database clock). */
  readonly ApproximateArrivalTimestamp: Date;
  readonly Data: Uint8Array;
}

/** Who made a change, on records of items Time to Live deleted. */
export interface KinesisUserIdentity {
  readonly type: 'Service';
  readonly principalId: 'dynamodb.amazonaws.com';
}

/** The JSON DynamoDB writes into a Kinesis record's `Data` for each item-level change. */
export interface DynamoDBKinesisRecordData {
  readonly awsRegion: string;
  /** A UUID. */
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly userIdentity: KinesisUserIdentity | null;
  readonly recordFormat: 'application/json';
  readonly tableName: string;
  readonly dynamodb: {
    /** Epoch milliseconds, or epoch microseconds under MICROSECOND precision. */
    readonly ApproximateCreationDateTime: number;
    readonly ApproximateCreationDateTimePrecision: ApproximateCreationDateTimePrecision;
    /** AttributeValue JSON as on the wire (binary as base64). */
    readonly Keys: Record<string, unknown>;
    readonly NewImage?: Record<string, unknown>;
    readonly OldImage?: Record<string, unknown>;
    /** Keys, NewImage and OldImage, as DynamoDB counts item sizes. */
    readonly SizeBytes: number;
  };
  readonly eventSource: 'aws:dynamodb';
}

const TTL_IDENTITY: KinesisUserIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * The `Data` DynamoDB writes to Kinesis for one change: both images whatever the table's stream view
 * type (Kinesis destinations have none), the creation time at the destination's precision.
 */
export function kinesisRecordData(
  change: ChangeRecord,
  region: string,
  eventID: string,
  creationDateTime: number,
  precision: ApproximateCreationDateTimePrecision,
): Uint8Array {
  const dynamodb: Record<string, unknown> = {
    ApproximateCreationDateTime: creationDateTime,
    ApproximateCreationDateTimePrecision: precision,
    Keys: change.keys,
  };
  if (change.newImage) dynamodb.NewImage = change.newImage;
  if (change.oldImage) dynamodb.OldImage = change.oldImage;
  dynamodb.SizeBytes = sizeBytes(change.keys, change.newImage, change.oldImage);
  const data = {
    awsRegion: region,
    eventID,
    eventName: change.eventName,
    userIdentity: change.origin === 'ttl' ? TTL_IDENTITY : null,
    recordFormat: 'application/json',
    tableName: change.tableName,
    dynamodb,
    eventSource: 'aws:dynamodb',
  };
  // The replacer costs a call per value: only binary needs it.
  const binary = hasBinary(change.keys) || hasBinary(change.newImage) || hasBinary(change.oldImage);
  return utf8.encode(binary ? JSON.stringify(data, wireValue) : JSON.stringify(data));
}

/**
 * Parses a Kinesis record written by a DynamoDB table back into its JSON.
 *
 * @example
 * for (const record of consumer.read()) {
 *   const { eventName, dynamodb } = parseKinesisRecordData(record);
 * }
 */
export function parseKinesisRecordData(record: Pick<KinesisRecord, 'Data'>): DynamoDBKinesisRecordData {
  return JSON.parse(utf8Decoder.decode(record.Data)) as DynamoDBKinesisRecordData;
}

function sizeBytes(keys: Key, newImage: Item | undefined, oldImage: Item | undefined): number {
  return itemSize(keys) + (newImage ? itemSize(newImage) : 0) + (oldImage ? itemSize(oldImage) : 0);
}

/** Whether an item (or an attribute value's contents) holds binary anywhere. */
function hasBinary(value: unknown): boolean {
  if (value === undefined || value === null || typeof value !== 'object') return false;
  if (value instanceof Uint8Array) return true;
  if (Array.isArray(value)) {
    for (const member of value) if (hasBinary(member)) return true;
    return false;
  }
  for (const key in value) if (hasBinary((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** JSON.stringify replacer: binary (B, BS members) as base64, as DynamoDB's JSON has it. */
function wireValue(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? toBase64(value) : value;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]! + BASE64[(n >>> 6) & 63]! + BASE64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]! + BASE64[(n >>> 6) & 63]! + '=';
  }
  return out;
}
