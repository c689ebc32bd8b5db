/** Kinesis data stream ARNs: `arn:aws:kinesis:<region>:<account>:stream/<name>`. */

/** The ARN of the stream `name` in a region and account. */
export function kinesisStreamArn(region: string, accountId: string, name: string): string {
  return `arn:aws:kinesis:${region}:${accountId}:stream/${name}`;
}

/** The parts of an ARN (any service), or undefined when it is not `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function parseArn(arn: string): { service: string; region: string; accountId: string; resource: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { service: parts[2]!, region: parts[3]!, accountId: parts[4]!, resource: parts.slice(5).join(':') };
}

/**
 * Why DynamoDB cannot write to `streamArn` (DestinationStatusDescription of an ENABLE_FAILED destination),
 * or undefined when it can. DynamoDB never checks the stream while answering Enable: it fails later, calling
 * a missing stream a permission problem, and a stream of another region or account or service not ACTIVE.
 */
export function enableFailure(streamArn: string, region: string, accountId: string, exists: (arn: string) => boolean): string | undefined {
  const arn = parseArn(streamArn);
  if (arn && arn.service === 'kinesis' && arn.region !== region) {
    return 'The kinesis Arn used to enable kinesis replication belongs to a stream which is not in the current region';
  }
  if (arn && (arn.service === 'firehose' || (arn.service === 'kinesis' && arn.accountId !== accountId))) {
    return 'The kinesis Arn used to enable kinesis replication belongs to a stream which is not in Active state';
  }
  if (!exists(streamArn)) return 'User does not have a permission to use kinesis stream';
  return undefined;
}
