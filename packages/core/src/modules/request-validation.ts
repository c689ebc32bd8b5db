/**
 * The request checks core's own operations use, for modules that register operations of their own
 * (DynamoDB Streams, Kinesis destinations, …), so every operation words its errors the same way:
 * `checkShape` for the JSON deserializer's SerializationExceptions (in document order), then one
 * `beginConstraints()` pass for Coral's "N validation errors detected: …" ValidationException.
 *
 * @example
 * const SHAPE = struct('GetRecordsInput', { ShardIterator: STRING, Limit: INTEGER });
 * function validateGetRecords(input: { ShardIterator?: string; Limit?: number }): void {
 *   checkShape(input, SHAPE);
 *   const c = beginConstraints();
 *   if (c.notNull('shardIterator', input.ShardIterator)) c.length('shardIterator', input.ShardIterator, 1, 2048);
 *   c.min('limit', input.Limit, 1);
 *   c.finish(); // throws "N validation errors detected: …" if any check failed
 * }
 * validateGetRecords({ ShardIterator: 'iterator-1', Limit: 100 });
 */
export {
  beginConstraints,
  defineEnum,
  definePattern,
  NAME_PATTERN,
  type Constraints,
  type EnumSet,
  type PatternSet,
} from '../operations/validation/constraints.js';
export { checkShape, struct, listOf, STRING, BOOLEAN, INTEGER, LONG, OPAQUE, type Shape, type StructShape } from '../operations/validation/shapes.js';
/** The prefix of DynamoDB's "One or more parameter values were invalid: …" ValidationException messages. */
export { INVALID } from '../errors.js';
