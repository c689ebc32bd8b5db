import type { Engine } from '../engine.js';
import { ValidationException } from '../errors.js';
import type { TableState } from '../tables/table-state.js';

/** CreateTable/UpdateTable parameters that an optional module implements, and where that module lives. */
const MODULE_PARAMETERS: Record<string, { module: string; from: string }> = {
  StreamSpecification: { module: 'streams', from: '@magneto/streams' },
  ReplicaUpdates: { module: 'globalTables', from: '@magneto/global-tables' },
};

/**
 * Refuses CreateTable/UpdateTable parameters that no installed module handles, naming the module to
 * install, before anything changes.
 *
 * @internal
 */
export function checkModuleParameters(engine: Engine, input: Record<string, unknown>): void {
  for (const parameter in MODULE_PARAMETERS) {
    if (input[parameter] === undefined || engine.tableParameters.has(parameter)) continue;
    const { module, from } = MODULE_PARAMETERS[parameter]!;
    throw new ValidationException(
      `${parameter} needs the ${module} module, which this database does not have: ` +
        `create it with new Database({ modules: [${module}()] }) (import { ${module} } from '${from}')`,
    );
  }
}

/** Lets each installed module apply the parameters it claimed. @internal */
export function applyModuleParameters(
  engine: Engine,
  table: TableState,
  input: Record<string, unknown>,
  operation: 'CreateTable' | 'UpdateTable',
): void {
  for (const [parameter, handler] of engine.tableParameters) {
    if (input[parameter] !== undefined) handler.apply(engine.viewOf(table), input[parameter], operation);
  }
}
