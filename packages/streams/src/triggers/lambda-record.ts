/** An AttributeValue as Lambda's JSON event carries it: binary values are base64 strings. */
export interface LambdaAttributeValue {
  // Every member optional, as @types/aws-lambda declares it, so handlers written for Lambda compile
  // unchanged (`image.id?.S`); exactly one is present on each value.
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  M?: Record<string, LambdaAttributeValue>;
  L?: LambdaAttributeValue[];
}

/** One record of a Lambda DynamoDB-stream event (the `DynamoDBRecord` of `@types/aws-lambda`). */
export interface LambdaStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    /** Seconds since the epoch, as Lambda's JSON carries it. */
    ApproximateCreationDateTime: number;
    Keys: Record<string, LambdaAttributeValue>;
    NewImage?: Record<string, LambdaAttributeValue>;
    OldImage?: Record<string, LambdaAttributeValue>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  userIdentity?: { type: string; principalId: string };
  /** The stream's ARN. */
  eventSourceARN: string;
}

/** The event a trigger handler receives, as Lambda invokes a function for a DynamoDB stream. */
export interface DynamoDBStreamEvent {
  Records: LambdaStreamRecord[];
}

/** What GetRecords returns for one record (dates as `Date`, binary as `Uint8Array`), as far as triggers read it. */
export interface StreamsApiRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: Date | number;
    Keys: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  userIdentity?: { type: string; principalId: string };
}

/**
 * Turns a DynamoDB Streams record into the record Lambda delivers: the same members plus `eventSourceARN`,
 * the creation time in epoch seconds and binary values in base64 (Lambda's event is JSON).
 */
export function toLambdaRecord(record: StreamsApiRecord, streamArn: string): LambdaStreamRecord {
  const data = record.dynamodb;
  const created = data.ApproximateCreationDateTime;
  const dynamodb: LambdaStreamRecord['dynamodb'] = {
    ApproximateCreationDateTime: created instanceof Date ? created.getTime() / 1000 : created,
    Keys: toJsonItem(data.Keys),
    ...(data.NewImage === undefined ? {} : { NewImage: toJsonItem(data.NewImage) }),
    ...(data.OldImage === undefined ? {} : { OldImage: toJsonItem(data.OldImage) }),
    SequenceNumber: data.SequenceNumber,
    SizeBytes: data.SizeBytes,
    StreamViewType: data.StreamViewType,
  };
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    dynamodb,
    ...(record.userIdentity === undefined ? {} : { userIdentity: { ...record.userIdentity } }),
    eventSourceARN: streamArn,
  };
}

// Items are shared with the stream (immutable), so only items holding binary values are copied.
function toJsonItem(item: Record<string, unknown>): Record<string, LambdaAttributeValue> {
  let copy: Record<string, unknown> | undefined;
  for (const name in item) {
    const value = item[name];
    const converted = toJsonValue(value);
    if (converted !== value) {
      copy ??= { ...item };
      copy[name] = converted;
    }
  }
  return (copy ?? item) as Record<string, LambdaAttributeValue>;
}

function toJsonValue(value: unknown): unknown {
  const av = value as Record<string, unknown>;
  if (av.B instanceof Uint8Array) return { B: base64(av.B) };
  if (Array.isArray(av.BS)) return { BS: (av.BS as unknown[]).map((b) => (b instanceof Uint8Array ? base64(b) : b)) };
  if (av.M !== undefined && typeof av.M === 'object' && av.M !== null) {
    const m = toJsonItem(av.M as Record<string, unknown>);
    return m === av.M ? value : { M: m };
  }
  if (Array.isArray(av.L)) {
    let changed = false;
    const l = (av.L as unknown[]).map((element) => {
      const converted = toJsonValue(element);
      if (converted !== element) changed = true;
      return converted;
    });
    return changed ? { L: l } : value;
  }
  return value;
}

// btoa over a binary string: works in browsers and Node without Buffer.
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
