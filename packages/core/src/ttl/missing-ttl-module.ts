import { ValidationException } from '../errors.js';
import type { DatabaseModule } from '../modules/module.js';

/** The operations the ttl module implements. */
const TTL_OPERATIONS = ['UpdateTimeToLive', 'DescribeTimeToLive'] as const;

/**
 * @internal What a database without the ttl module answers UpdateTimeToLive and DescribeTimeToLive with: a
 * ValidationException naming the module to install (the way CreateTable names `streams()` for a
 * StreamSpecification), rather than the bare UnknownOperationException an unregistered operation gets:
 * every DynamoDB client knows these operations, so the useful answer says how to turn them on. The
 * Database installs it first; installing `ttl()` replaces these operations.
 */
export function missingTtl(): DatabaseModule {
  return {
    name: 'missing-ttl',
    install(context) {
      for (const operation of TTL_OPERATIONS) {
        context.registerOperation({
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
    },
  };
}
