import type { ModuleContext } from '../modules/module.js';
import type { AutoScaling } from './auto-scaling.js';
import { parseResourceId } from './auto-scaling-state.js';

declare module '../modules/module.js' {
  interface Services {
    /** Application Auto Scaling (`X-Amz-Target: AnyScaleFrontendService.<Operation>`), served by capacity(). */
    AnyScaleFrontendService: true;
  }
}

/** The table a request's ResourceId names: a catalog operation's table, whose entry (with its auto scaling) durable storage logs. */
function tableOfResource(input: Record<string, unknown>): string[] {
  const parsed = typeof input.ResourceId === 'string' ? parseResourceId(input.ResourceId) : undefined;
  return parsed === undefined ? [] : [parsed.tableName];
}

/**
 * Serves Application Auto Scaling's API for DynamoDB resources (target prefix `AnyScaleFrontendService`),
 * so `@aws-sdk/client-application-auto-scaling` code runs unchanged against the same request handler
 * and server.
 */
export function registerAutoScalingOperations(context: ModuleContext, scaling: AutoScaling): void {
  const register = (name: string, effect: 'read' | 'catalog', handler: (input: Record<string, unknown>) => unknown) =>
    context.registerOperation({ service: 'AnyScaleFrontendService', name, effect, tablesOf: tableOfResource, handler });
  register('RegisterScalableTarget', 'catalog', (input) => scaling.registerScalableTarget(input));
  register('DeregisterScalableTarget', 'catalog', (input) => scaling.deregisterScalableTarget(input));
  register('PutScalingPolicy', 'catalog', (input) => scaling.putScalingPolicy(input));
  register('DeleteScalingPolicy', 'catalog', (input) => scaling.deleteScalingPolicy(input));
  register('DescribeScalableTargets', 'read', (input) => scaling.describeScalableTargets(input));
  register('DescribeScalingPolicies', 'read', (input) => scaling.describeScalingPolicies(input));
  register('DescribeScalingActivities', 'read', (input) => scaling.describeScalingActivities(input));
}
