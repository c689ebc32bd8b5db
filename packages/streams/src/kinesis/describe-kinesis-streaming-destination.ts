import { destinationsOf, type KinesisDataStreamDestination } from './destination-state.js';
import type { DestinationsRuntime } from './destinations-runtime.js';
import { checkConstraints, checkTypes, tableNameMember } from './validation.js';

export interface DescribeKinesisStreamingDestinationInput {
  TableName: string;
}
export interface DescribeKinesisStreamingDestinationOutput {
  TableName: string;
  KinesisDataStreamDestinations: KinesisDataStreamDestination[];
}

/**
 * DescribeKinesisStreamingDestination: every stream the table was enabled onto, newest first, with its
 * status; DISABLED and ENABLE_FAILED entries stay listed. The precision appears only once Enable or
 * Update set it. While the table is being deleted an ACTIVE destination reads UPDATING, as on DynamoDB.
 */
export function describeKinesisStreamingDestination(
  runtime: DestinationsRuntime,
  input: DescribeKinesisStreamingDestinationInput,
): DescribeKinesisStreamingDestinationOutput {
  checkTypes([input.TableName], []);
  checkConstraints([tableNameMember(input.TableName)], '', undefined);
  const table = runtime.table(input.TableName);
  const deleting = table.status === 'DELETING';
  const destinations = (destinationsOf(table)?.entries ?? []).map((d) => {
    const entry: KinesisDataStreamDestination = {
      StreamArn: d.streamArn,
      DestinationStatus: deleting && d.status === 'ACTIVE' ? 'UPDATING' : d.status,
    };
    if (d.description !== undefined) entry.DestinationStatusDescription = d.description;
    if (d.precision !== undefined) entry.ApproximateCreationDateTimePrecision = d.precision;
    return entry;
  });
  return { TableName: table.name, KinesisDataStreamDestinations: destinations };
}
