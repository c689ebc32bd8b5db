import { ValidationException } from '@magneto/core';
import { ensureDestinations, liveDestination, type Destination, type DestinationStatus } from './destination-state.js';
import type { DestinationsRuntime } from './destinations-runtime.js';
import type { ApproximateCreationDateTimePrecision } from './kinesis-record.js';
import { enableFailure } from './stream-arn.js';
import { checkConstraints, checkTypes, streamArnMember, tableNameMember } from './validation.js';

/** EnableKinesisStreamingConfiguration / UpdateKinesisStreamingConfiguration. */
export interface KinesisStreamingConfiguration {
  ApproximateCreationDateTimePrecision?: ApproximateCreationDateTimePrecision;
}

/** The request of EnableKinesisStreamingDestination and DisableKinesisStreamingDestination. */
export interface KinesisStreamingDestinationInput {
  TableName: string;
  StreamArn: string;
  EnableKinesisStreamingConfiguration?: KinesisStreamingConfiguration;
}

/** Their response. */
export interface KinesisStreamingDestinationOutput {
  TableName: string;
  StreamArn: string;
  DestinationStatus: DestinationStatus;
  EnableKinesisStreamingConfiguration?: KinesisStreamingConfiguration;
}

/** The prefix of every refusal due to a destination's state (Enable, Disable and Update alike). */
export const INVALID_STATE = 'Table is not in a valid state to enable Kinesis Streaming Destination: ';

/** Checks the request members Enable and Disable share, before the table lookup. */
export function validateDestinationInput(input: Record<string, unknown>): void {
  const configuration = input.EnableKinesisStreamingConfiguration as Record<string, unknown> | null | undefined;
  checkTypes([input.TableName, input.StreamArn], [configuration]);
  const precision = configuration?.ApproximateCreationDateTimePrecision;
  checkTypes([precision], []);
  checkConstraints(
    [tableNameMember(input.TableName), streamArnMember(input.StreamArn)],
    'enableKinesisStreamingConfiguration.approximateCreationDateTimePrecision',
    precision,
  );
}

/**
 * EnableKinesisStreamingDestination: answers ENABLING; the destination turns ACTIVE after the database's
 * transition time, or ENABLE_FAILED (with a DestinationStatusDescription) when the stream cannot be
 * written, which DynamoDB never checks synchronously. A table has at most one destination that is not
 * DISABLED or ENABLE_FAILED; enabling a stream again reuses its entry.
 */
export function enableKinesisStreamingDestination(runtime: DestinationsRuntime, input: KinesisStreamingDestinationInput): KinesisStreamingDestinationOutput {
  validateDestinationInput(input as unknown as Record<string, unknown>);
  const table = runtime.table(input.TableName);
  const state = ensureDestinations(table);
  if (table.status === 'DELETING' || liveDestination(state)) {
    throw new ValidationException(`${INVALID_STATE}EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE operation.`);
  }
  const precision = input.EnableKinesisStreamingConfiguration?.ApproximateCreationDateTimePrecision;
  let destination = state.entries.find((d) => d.streamArn === input.StreamArn);
  if (!destination) {
    destination = { streamArn: input.StreamArn, status: 'ENABLING', description: undefined, precision: undefined, cancelTransition: undefined };
    state.entries.unshift(destination);
  }
  const enabling: Destination = destination;
  enabling.status = 'ENABLING';
  enabling.description = undefined;
  enabling.precision = precision;
  const output: KinesisStreamingDestinationOutput = {
    TableName: table.name,
    StreamArn: input.StreamArn,
    DestinationStatus: 'ENABLING',
    EnableKinesisStreamingConfiguration: { ...input.EnableKinesisStreamingConfiguration },
  };
  const { region, accountId } = runtime.context;
  runtime.transition(table, enabling, () => {
    const failure = enableFailure(enabling.streamArn, region, accountId, (arn) => runtime.streams.has(arn));
    enabling.status = failure === undefined ? 'ACTIVE' : 'ENABLE_FAILED';
    enabling.description = failure;
  });
  return output;
}
