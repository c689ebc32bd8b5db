import { itemSize, type ChangeRecord, type Item } from '@magneto/core';
import { eventId } from './ids.js';
import { formatSequenceNumber } from './sequence-number.js';
import type { StreamViewType } from './stream.js';

/** The `userIdentity` of records written by DynamoDB itself (TTL deletions), camelCase as AWS writes it. */
export interface StreamRecordIdentity {
  readonly type: 'Service';
  readonly principalId: 'dynamodb.amazonaws.com';
}

/** A record's `dynamodb` member: the change itself. */
export interface StreamRecordData {
  /** When the change was made, rounded down to the second (the SDK types it as a Date). */
  ApproximateCreationDateTime: Date;
  Keys: Item;
  NewImage?: Item;
  OldImage?: Item;
  SequenceNumber: string;
  SizeBytes: number;
  StreamViewType: StreamViewType;
}

/** One record as GetRecords returns it, exactly as DynamoDB Streams writes it. */
export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: StreamRecordData;
  userIdentity?: StreamRecordIdentity;
}

const TTL_IDENTITY: StreamRecordIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };

/**
 * Shapes a stored change into DynamoDB's stream record, at read time (writes only store the change).
 * SizeBytes counts the key and the images the view type includes, as DynamoDB counts item sizes.
 */
export function shapeStreamRecord(
  change: ChangeRecord,
  sequence: number,
  viewType: StreamViewType,
  region: string,
  salt: number,
): StreamRecord {
  const newImage = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? change.newImage : undefined;
  const oldImage = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? change.oldImage : undefined;
  let size = itemSize(change.keys);
  if (newImage !== undefined) size += itemSize(newImage);
  if (oldImage !== undefined) size += itemSize(oldImage);
  // Members in the order DynamoDB's JSON has them.
  const data: StreamRecordData = {
    ApproximateCreationDateTime: new Date(Math.floor(change.timestamp / 1000) * 1000),
    Keys: change.keys,
    ...(newImage === undefined ? {} : { NewImage: newImage }),
    ...(oldImage === undefined ? {} : { OldImage: oldImage }),
    SequenceNumber: formatSequenceNumber(sequence),
    SizeBytes: size,
    StreamViewType: viewType,
  };
  const record: StreamRecord = {
    eventID: eventId(salt, sequence),
    eventName: change.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: data,
  };
  if (change.origin === 'ttl') record.userIdentity = TTL_IDENTITY;
  return record;
}
