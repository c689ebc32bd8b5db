export { faults, type FaultRule, type FaultHandle, type FaultsModule, type FaultsOptions, type InjectedFault } from './faults.js';
export { InjectedException, INJECTABLE_EXCEPTIONS } from './injected-exception.js';
export { controlFaults, type FaultControlAnswer } from './fault-control.js';
