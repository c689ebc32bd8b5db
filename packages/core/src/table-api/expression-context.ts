import type { AttributeValue } from '../model/attribute-value.js';
import { encodeValue } from './marshall.js';

/** The first placeholders, made once: no new string per request, and their hashes are computed once. */
const NAMES = Array.from({ length: 16 }, (_, i) => `#n${i}`);
const VALUES = Array.from({ length: 16 }, (_, i) => `:v${i}`);

/**
 * Collects the ExpressionAttributeNames and ExpressionAttributeValues of one request: every attribute
 * name becomes a `#nN` placeholder (one per distinct name, so reserved words and odd characters never
 * matter) and every value a `:vN` placeholder.
 */
export class ExpressionContext {
  private names: Record<string, string> | undefined;
  private values: Record<string, AttributeValue> | undefined;
  /** Names given placeholders so far, in order: `#n<i>` is `seen[i]` (a handful per request: a scan beats a Map). */
  private readonly seen: string[] = [];
  private valueCount = 0;

  /** The placeholder of an attribute name. */
  name(attribute: string): string {
    const seen = this.seen;
    let i = seen.indexOf(attribute);
    if (i < 0) {
      i = seen.push(attribute) - 1;
      // The first as a literal (a fixed shape, no store by computed key: the usual one-name request is cheap).
      if (i === 0) this.names = { '#n0': attribute };
      else this.names![NAMES[i] ?? `#n${i}`] = attribute;
    }
    return NAMES[i] ?? `#n${i}`;
  }

  /** A document path (`#n0.#n1[2]`) of attribute names and list indexes. */
  path(segments: readonly (string | number)[]): string {
    let out = '';
    for (const segment of segments) {
      if (typeof segment === 'number') out += `[${segment}]`;
      else out += out === '' ? this.name(segment) : `.${this.name(segment)}`;
    }
    return out;
  }

  /** The placeholder of a native value. */
  value(value: unknown): string {
    const encoded = encodeValue(value);
    if (encoded === undefined) throw new TypeError('An expression operand cannot be undefined or an empty Set');
    return this.attributeValue(encoded);
  }

  /** The placeholder of an AttributeValue. */
  attributeValue(value: AttributeValue): string {
    const i = this.valueCount++;
    const placeholder = VALUES[i] ?? `:v${i}`;
    if (i === 0) this.values = { ':v0': value };
    else this.values![placeholder] = value;
    return placeholder;
  }

  /** Adds the collected names and values to a request (DynamoDB refuses empty maps, so only non-empty ones). */
  applyTo<R extends object>(request: R): R & { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
    const out = request as R & { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> };
    if (this.names !== undefined) out.ExpressionAttributeNames = this.names;
    if (this.values !== undefined) out.ExpressionAttributeValues = this.values;
    return out;
  }
}
