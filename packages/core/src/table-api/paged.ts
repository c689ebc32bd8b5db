import type { Item, Key } from '../model/attribute-value.js';

/** One page of a query or scan. */
export interface Page<R> {
  items: R[];
  /** DynamoDB's LastEvaluatedKey: pass it as `startKey` to read on; undefined on the last page. */
  lastKey: Key | undefined;
  /** Items on this page (after the filter). */
  count: number;
  /** Items read before the filter. */
  scannedCount: number;
}

/** One page's answer, as Query and Scan give it. */
export interface PageOutput {
  Items?: Item[];
  LastEvaluatedKey?: Key;
  Count?: number;
  ScannedCount?: number;
}

/** Where pages come from: sends one request and reads its items. */
export interface PageSource<R> {
  fetch(startKey: Key | undefined, limit: number | undefined, countOnly: boolean): Promise<PageOutput>;
  /** A page's items, read into JS values. */
  decodeAll(items: readonly Item[]): R[];
}

/**
 * The result of `query` or `scan`: iterate items with `for await`, or pages with `pages()`; collect with
 * `all()`; count with `count()`. Nothing is read until one of them is used, and each use reads afresh.
 *
 * @example
 * for await (const order of orders.query({ org: 'acme' })) console.log(order.id);
 * for await (const page of orders.scan({ pageSize: 100 }).pages()) save(page.items, page.lastKey);
 * const open = await orders.index('byStatus').query({ status: 'OPEN' }, { limit: 10 }).all();
 */
export class Paged<R> implements AsyncIterable<R> {
  /** @internal */
  constructor(
    private readonly source: PageSource<R>,
    private readonly startKey: Key | undefined,
    private readonly pageSize: number | undefined,
    private readonly limit: number | undefined,
  ) {}

  /** One page from `startKey` (default: the query's own `startKey`, or the start). */
  async page(startKey: Key | undefined = this.startKey): Promise<Page<R>> {
    const output = await this.source.fetch(startKey, this.pageLimit(0), false);
    return this.toPage(output);
  }

  /** Every page in turn, stopping after `limit` items when the query has one. */
  async *pages(): AsyncGenerator<Page<R>, void, undefined> {
    let startKey = this.startKey;
    let seen = 0;
    for (;;) {
      const page = this.toPage(await this.source.fetch(startKey, this.pageLimit(seen), false));
      seen += page.items.length;
      yield page;
      startKey = page.lastKey;
      if (startKey === undefined || (this.limit !== undefined && seen >= this.limit)) return;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<R, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** All items (up to `limit`). */
  all(): Promise<R[]> {
    // The first page by one `then` (no async function or generator hops), and a one-page result used as is.
    let first: Promise<PageOutput>;
    try {
      first = this.source.fetch(this.startKey, this.pageLimit(0), false);
    } catch (error) {
      return Promise.reject(error);
    }
    return first.then((output) => {
      const items = output.Items === undefined ? [] : this.source.decodeAll(output.Items);
      const lastKey = output.LastEvaluatedKey;
      if (lastKey === undefined || (this.limit !== undefined && items.length >= this.limit)) return items;
      return this.rest(items, lastKey);
    });
  }

  /** The pages after the first of `all()`, appended to `items`. */
  private async rest(items: R[], lastKey: Key): Promise<R[]> {
    let startKey: Key | undefined = lastKey;
    for (;;) {
      const page = this.toPage(await this.source.fetch(startKey, this.pageLimit(items.length), false));
      for (const item of page.items) items.push(item);
      startKey = page.lastKey;
      if (startKey === undefined || (this.limit !== undefined && items.length >= this.limit)) return items;
    }
  }

  /** How many items match (Select COUNT over every page; `limit` is not applied). */
  async count(): Promise<number> {
    let startKey = this.startKey;
    let total = 0;
    do {
      const output = await this.source.fetch(startKey, this.pageSize, true);
      total += output.Count ?? 0;
      startKey = output.LastEvaluatedKey;
    } while (startKey !== undefined);
    return total;
  }

  /** DynamoDB's Limit for the next page: the page size, capped by what `limit` still allows. */
  private pageLimit(seen: number): number | undefined {
    if (this.limit === undefined) return this.pageSize;
    const remaining = this.limit - seen;
    return this.pageSize === undefined ? remaining : Math.min(this.pageSize, remaining);
  }

  private toPage(output: PageOutput): Page<R> {
    const items = output.Items === undefined ? [] : this.source.decodeAll(output.Items);
    return { items, lastKey: output.LastEvaluatedKey, count: output.Count ?? items.length, scannedCount: output.ScannedCount ?? items.length };
  }
}
