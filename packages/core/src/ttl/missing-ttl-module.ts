import { ValidationException } from '../errors.js';
import type { OperationEntry } from '../modules/module.js';

/** The operations the ttl module implements. */
const TTL_OPERATIONS = ['UpdateTimeToLive', 'DescribeTimeToLive'] as const;

/**
 * Registers UpdateTimeToLive and DescribeTimeToLive on a database without the ttl module as handlers that
 * refuse with a ValidationException naming the module to install (the way CreateTable names `streams()`
 * for a StreamSpecification), rather than the bare UnknownOperationException an unregistered operation
 * gets: every DynamoDB client knows these operations, so the useful answer says how to turn them on.
 * Installing `ttl()` replaces them.
 */
export function registerMissingTtlOperations(register: (entry: OperationEntry) => void): void {
  for (const operation of TTL_OPERATIONS) {
    register({
      service: 'DynamoDB_20120810',
      name: operation,
      // Refuses before changing anything: nothing for durable storage to follow.
      effect: 'read',
      handler: () => {
        throw new ValidationException(
          `${operation} needs the ttl module, which this database does not have: ` +
            `create it with new Database({ modules: [ttl()] }) (import { ttl } from '@magneto/core')`,
        );
      },
    });
  }
}
