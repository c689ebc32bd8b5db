import { ValidationException } from '@magneto/core';
import { destinationsOf } from './destination-state.js';
import type { DestinationsRuntime } from './destinations-runtime.js';
import {
  INVALID_STATE,
  validateDestinationInput,
  type KinesisStreamingDestinationInput,
  type KinesisStreamingDestinationOutput,
} from './enable-kinesis-streaming-destination.js';

/**
 * DisableKinesisStreamingDestination: answers DISABLING and stops writing to the stream at once; the
 * destination is DISABLED after the database's transition time and stays listed. Only an ACTIVE (or
 * already DISABLING) destination can be disabled; DynamoDB gives the same refusal for a stream that
 * was never enabled.
 */
export function disableKinesisStreamingDestination(runtime: DestinationsRuntime, input: KinesisStreamingDestinationInput): KinesisStreamingDestinationOutput {
  validateDestinationInput(input as unknown as Record<string, unknown>);
  if (input.EnableKinesisStreamingConfiguration !== undefined && input.EnableKinesisStreamingConfiguration !== null) {
    throw new ValidationException('Stream cannot be disabled using EnableKinesisStreamingConfiguration parameters');
  }
  const table = runtime.table(input.TableName);
  const destination = destinationsOf(table)?.entries.find((d) => d.streamArn === input.StreamArn);
  const refusal = `${INVALID_STATE}KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.`;
  if (!destination || table.status === 'DELETING') throw new ValidationException(refusal);
  if (destination.status === 'DISABLING') return { TableName: table.name, StreamArn: input.StreamArn, DestinationStatus: 'DISABLING' };
  if (destination.status !== 'ACTIVE') throw new ValidationException(refusal);
  destination.status = 'DISABLING';
  runtime.refresh(table);
  runtime.transition(table, destination, () => {
    destination.status = 'DISABLED';
  });
  return { TableName: table.name, StreamArn: input.StreamArn, DestinationStatus: 'DISABLING' };
}
