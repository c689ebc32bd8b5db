/**
 * A small order service, written as application code is: against the AWS SDK, knowing nothing of Magneto.
 * Its tests (orders.test.ts with vitest, orders.jest.ts with jest) run it unchanged, in-process or against
 * `magneto serve`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

export interface Order {
  readonly id: string;
  readonly sku: string;
  readonly quantity: number;
}

/** The service's DynamoDB access; `client` defaults to one configured from the environment (AWS_ENDPOINT_URL_DYNAMODB, …). */
export function ordersService(client: DynamoDBClient = new DynamoDBClient({})) {
  const docs = DynamoDBDocumentClient.from(client);
  return {
    /** Places an order: reserves the stock and records the order, both or neither. */
    async placeOrder(order: Order): Promise<void> {
      await docs.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: 'stock',
                Key: { sku: order.sku },
                UpdateExpression: 'SET available = available - :n',
                ConditionExpression: 'available >= :n',
                ExpressionAttributeValues: { ':n': order.quantity },
              },
            },
            { Put: { TableName: 'orders', Item: { ...order, status: 'PLACED' }, ConditionExpression: 'attribute_not_exists(id)' } },
          ],
        }),
      );
    },

    /** Records a note on an order (a plain PutItem: the SDK retries it when DynamoDB throttles). */
    async addNote(orderId: string, text: string): Promise<void> {
      await docs.send(new PutCommand({ TableName: 'notes', Item: { orderId, text } }));
    },

    async getOrder(id: string): Promise<Record<string, unknown> | undefined> {
      return (await docs.send(new GetCommand({ TableName: 'orders', Key: { id } }))).Item;
    },

    async available(sku: string): Promise<number> {
      const { Item } = await docs.send(new GetCommand({ TableName: 'stock', Key: { sku } }));
      return (Item?.available as number | undefined) ?? 0;
    },
  };
}
