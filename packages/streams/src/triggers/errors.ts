/**
 * Lambda's exception for an event-source-mapping parameter it refuses (a bad filter pattern, a value out of
 * range). Triggers are Lambda event-source mappings in-process, so they refuse options the way Lambda does.
 */
export class InvalidParameterValueException extends Error {
  override readonly name = 'InvalidParameterValueException';
}
