import { ValidationException } from '@magneto/core';
import { destinationsOf, type DestinationStatus } from './destination-state.js';
import type { DestinationsRuntime } from './destinations-runtime.js';
import { INVALID_STATE, type KinesisStreamingConfiguration } from './enable-kinesis-streaming-destination.js';
import { checkConstraints, checkTypes, streamArnMember, tableNameMember } from './validation.js';

export interface UpdateKinesisStreamingDestinationInput {
  TableName: string;
  StreamArn: string;
  UpdateKinesisStreamingConfiguration?: KinesisStreamingConfiguration;
}
export interface UpdateKinesisStreamingDestinationOutput {
  TableName: string;
  StreamArn: string;
  DestinationStatus: DestinationStatus;
  UpdateKinesisStreamingConfiguration?: KinesisStreamingConfiguration;
}

/**
 * UpdateKinesisStreamingDestination: changes an ACTIVE destination's ApproximateCreationDateTimePrecision.
 * Answers UPDATING (Describe shows the new precision at once and records use it) and settles ACTIVE after
 * the database's transition time. Setting the precision it already has (MILLISECOND when never set) is refused.
 */
export function updateKinesisStreamingDestination(
  runtime: DestinationsRuntime,
  input: UpdateKinesisStreamingDestinationInput,
): UpdateKinesisStreamingDestinationOutput {
  const configuration = input.UpdateKinesisStreamingConfiguration as Record<string, unknown> | null | undefined;
  checkTypes([input.TableName, input.StreamArn], [configuration]);
  const precision = configuration?.ApproximateCreationDateTimePrecision;
  checkTypes([precision], []);
  checkConstraints(
    [tableNameMember(input.TableName), streamArnMember(input.StreamArn)],
    'updateKinesisStreamingConfiguration.approximateCreationDateTimePrecision',
    precision,
  );
  const table = runtime.table(input.TableName);
  const destination = destinationsOf(table)?.entries.find((d) => d.streamArn === input.StreamArn);
  if (!destination) {
    throw new ValidationException(
      `${INVALID_STATE}No streaming destination with streamArn: ${input.StreamArn} found for table with tableName: ${table.name}`,
    );
  }
  if (destination.status !== 'ACTIVE') {
    throw new ValidationException(
      `${INVALID_STATE}Kinesis streaming is not in ACTIVE state. Updates are only allowed in ACTIVE state. TableName: ${table.name}, kdsArn: ${input.StreamArn}`,
    );
  }
  if (precision === undefined || precision === null) {
    throw new ValidationException(
      'Streaming destination cannot be updated with given parameters: UpdateKinesisStreamingConfiguration cannot be null or contain only null values',
    );
  }
  const wanted = precision as KinesisStreamingConfiguration['ApproximateCreationDateTimePrecision'] & string;
  if (wanted === (destination.precision ?? 'MILLISECOND')) {
    throw new ValidationException(
      `Invalid Request: Precision is already set to the desired value of ${wanted} for tableId: ${table.id}, kdsArn: ${input.StreamArn}`,
    );
  }
  destination.precision = wanted;
  destination.status = 'UPDATING';
  runtime.transition(table, destination, () => {
    destination.status = 'ACTIVE';
  });
  return {
    TableName: table.name,
    StreamArn: input.StreamArn,
    DestinationStatus: 'UPDATING',
    UpdateKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: wanted },
  };
}
