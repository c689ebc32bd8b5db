import type { Engine } from '../engine.js';
import type { OperationEntry } from '../modules/module.js';
import { runWithHooks } from '../modules/request-context.js';

/** The PartiQL operations, as the statements they run see them (OperationRequest.enclosingOperation). */
export type PartiqlOperation = 'ExecuteStatement' | 'BatchExecuteStatement' | 'ExecuteTransaction';

/**
 * Runs one statement's planned operation (`operation` with `input`, done by `run`) between the admission
 * hooks that see statements (AdmissionHook.seesStatements), so capacity charges and throttles a statement
 * as the GetItem, PutItem, …, TransactWriteItems it is; with none installed, `run` runs as it is.
 */
export function runStatementOperation<O>(engine: Engine, enclosing: PartiqlOperation, operation: string, input: object, run: () => O): O {
  const hooks = engine.admissionHooks.filter((hook) => hook.seesStatements === true);
  if (hooks.length === 0) return run();
  const entry: OperationEntry = { service: 'DynamoDB_20120810', name: operation, effect: 'write', handler: run };
  return runWithHooks(engine, hooks, 'DynamoDB_20120810', operation, input as Record<string, unknown>, entry, undefined, enclosing) as O;
}
