import type { ModuleContext } from '../modules/module.js';
import type { ContributorInsights } from './contributor-insights.js';

/** Registers UpdateContributorInsights, DescribeContributorInsights and ListContributorInsights. */
export function registerContributorInsightsOperations(context: ModuleContext, insights: ContributorInsights): void {
  context.registerOperation({ service: 'DynamoDB_20120810', name: 'UpdateContributorInsights', effect: 'catalog', handler: (input: Record<string, unknown>) => insights.update(input) });
  context.registerOperation({ service: 'DynamoDB_20120810', name: 'DescribeContributorInsights', effect: 'read', handler: (input: Record<string, unknown>) => insights.describe(input) });
  context.registerOperation({ service: 'DynamoDB_20120810', name: 'ListContributorInsights', effect: 'read', tablesOf: () => [], handler: (input: Record<string, unknown>) => insights.list(input) });
}
