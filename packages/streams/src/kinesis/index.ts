/**
 * Kinesis-style streaming destinations: DynamoDB's EnableKinesisStreamingDestination family of
 * operations writing each table change, as DynamoDB writes it to Kinesis Data Streams, into in-process
 * streams with long retention and independent named consumers.
 *
 * @example
 * import { installKinesisDestinations, parseKinesisRecordData } from '@magneto/streams';
 */
export {
  installKinesisDestinations,
  type KinesisDestinations,
  type KinesisDestinationsOptions,
  type CreateKinesisStreamOptions,
  type KinesisConsumerOptions,
  type KinesisStreamDescription,
} from './kinesis-destinations.js';
export {
  type KinesisConsumer,
  type KinesisStartingPosition,
  type KinesisRecordHandler,
  type KinesisSubscribeOptions,
} from './kinesis-consumer.js';
export {
  parseKinesisRecordData,
  type KinesisRecord,
  type DynamoDBKinesisRecordData,
  type KinesisUserIdentity,
  type ApproximateCreationDateTimePrecision,
} from './kinesis-record.js';
export type { DestinationStatus, KinesisDataStreamDestination } from './destination-state.js';
export type {
  KinesisStreamingConfiguration,
  KinesisStreamingDestinationInput,
  KinesisStreamingDestinationOutput,
} from './enable-kinesis-streaming-destination.js';
export type {
  DescribeKinesisStreamingDestinationInput,
  DescribeKinesisStreamingDestinationOutput,
} from './describe-kinesis-streaming-destination.js';
export type {
  UpdateKinesisStreamingDestinationInput,
  UpdateKinesisStreamingDestinationOutput,
} from './update-kinesis-streaming-destination.js';
