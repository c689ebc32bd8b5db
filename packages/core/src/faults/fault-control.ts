import type { FaultRule, FaultsModule } from './faults.js';

/** An answer of the fault control endpoint: HTTP status and JSON body. */
export interface FaultControlAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The fault control endpoint of a server (`magneto serve --faults FILE` or `--fault-control`), so tests in
 * any language can inject faults over HTTP: `GET` answers the rules (with `matched` and `fired`) and every
 * fault injected; `POST` with a rule, or an array of rules (JSON: no `when`), adds them; `DELETE` removes
 * every rule and forgets what fired. HTTP-agnostic: the server routes `/_magneto/faults` here.
 *
 * @example
 * // curl -X POST http://127.0.0.1:8000/_magneto/faults -d '{"operation":"PutItem","nth":1,"error":"ThrottlingException"}'
 */
export function controlFaults(module: FaultsModule, method: string, body: string): FaultControlAnswer {
  if (method === 'GET') {
    return { status: 200, body: { rules: module.rules.map(({ name, rule, matched, fired }) => ({ name, rule, matched, fired })), injected: module.injected } };
  }
  if (method === 'DELETE') {
    module.clear();
    return { status: 200, body: {} };
  }
  if (method !== 'POST') return { status: 405, body: { message: `${method} is not served here: GET, POST or DELETE` } };
  let rules: FaultRule[];
  try {
    const parsed = JSON.parse(body) as FaultRule | FaultRule[];
    rules = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return { status: 400, body: { message: 'The body must be a JSON fault rule or an array of them' } };
  }
  try {
    return { status: 200, body: { names: rules.map((rule) => module.add(rule).name) } };
  } catch (error) {
    return { status: 400, body: { message: (error as Error).message } };
  }
}
