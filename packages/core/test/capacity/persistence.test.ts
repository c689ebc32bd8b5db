/**
 * capacity(): what it is told to keep survives a restart of durable storage — auto scaling targets and
 * policies (through its own API and Application Auto Scaling's), Contributor Insights settings, the
 * day's throughput decreases and switches to on-demand — both from the log and from a snapshot.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { capacity, Database, ManualClock } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { removeTemporaryDirectories, temporaryDirectory } from '../fixtures/persistence/helpers.js';
import { attributes, keys } from '../support/tables.js';

afterAll(removeTemporaryDirectories);

async function open(dir: string, clock: ManualClock) {
  const cap = capacity();
  const db = new Database({ clock, storage: fileStorage(dir, { durability: 'none' }), modules: [cap] });
  await db.open();
  return { cap, db };
}

describe('capacity() › durable state', () => {
  for (const snapshot of [false, true]) {
    it(`keeps auto scaling, Contributor Insights and the switch history across a restart${snapshot ? ' (from a snapshot)' : ''}`, async () => {
      const dir = temporaryDirectory();
      const clock = new ManualClock(Date.UTC(2024, 0, 1, 10));
      const first = await open(dir, clock);
      await first.db.createTable({ TableName: 'things', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
      await first.db.execute('DynamoDB_20120810', 'UpdateContributorInsights', { TableName: 'things', ContributorInsightsAction: 'ENABLE' });
      for (let i = 0; i < 4; i++) {
        await first.db.updateTable({ TableName: 'things', BillingMode: 'PAY_PER_REQUEST' });
        await first.db.updateTable({ TableName: 'things', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
      }
      // Last, through the module's own API (no catalog operation follows it).
      first.cap.autoScaling({ tableName: 'things' }, { write: { minCapacity: 5, maxCapacity: 100, targetUtilization: 50 } });
      if (snapshot) await first.db.checkpoint();
      await first.db.close();

      const second = await open(dir, clock);
      const targets = (await second.db.execute('AnyScaleFrontendService', 'DescribeScalableTargets', { ServiceNamespace: 'dynamodb' })) as { ScalableTargets: Array<{ ResourceId: string; MaxCapacity: number; CreationTime: unknown }> };
      expect(targets.ScalableTargets.map((t) => [t.ResourceId, t.MaxCapacity])).toEqual([['table/things', 100]]);
      expect(targets.ScalableTargets[0]!.CreationTime).toBeInstanceOf(Date);
      const policies = (await second.db.execute('AnyScaleFrontendService', 'DescribeScalingPolicies', { ServiceNamespace: 'dynamodb' })) as { ScalingPolicies: unknown[] };
      expect(policies.ScalingPolicies).toHaveLength(1);
      const insights = (await second.db.execute('DynamoDB_20120810', 'DescribeContributorInsights', { TableName: 'things' })) as { ContributorInsightsStatus: string };
      expect(insights.ContributorInsightsStatus).toBe('ENABLED');
      await expect(second.db.updateTable({ TableName: 'things', BillingMode: 'PAY_PER_REQUEST' })).rejects.toThrow(/limited to 4 times in 1 day/);
      await second.db.close();
    });
  }
});
