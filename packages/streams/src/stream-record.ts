import { itemSize, knownItemSize, type ChangeRecord, type Item } from '@magneto/core';
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
  if (newImage !== undefined) size += knownItemSize(newImage);
  if (oldImage !== undefined) size += knownItemSize(oldImage);
  const created = new Date(change.timestamp - (change.timestamp % 1000));
  const sequenceNumber = formatSequenceNumber(sequence);
  // Members in the order DynamoDB's JSON has them; one literal per shape (no spreads: this runs per record read).
  let data: StreamRecordData;
  if (newImage !== undefined && oldImage !== undefined) {
    data = {
      ApproximateCreationDateTime: created,
      Keys: change.keys,
      NewImage: newImage,
      OldImage: oldImage,
      SequenceNumber: sequenceNumber,
      SizeBytes: size,
      StreamViewType: viewType,
    };
  } else if (newImage !== undefined) {
    data = { ApproximateCreationDateTime: created, Keys: change.keys, NewImage: newImage, SequenceNumber: sequenceNumber, SizeBytes: size, StreamViewType: viewType };
  } else if (oldImage !== undefined) {
    data = { ApproximateCreationDateTime: created, Keys: change.keys, OldImage: oldImage, SequenceNumber: sequenceNumber, SizeBytes: size, StreamViewType: viewType };
  } else {
    data = { ApproximateCreationDateTime: created, Keys: change.keys, SequenceNumber: sequenceNumber, SizeBytes: size, StreamViewType: viewType };
  }
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
