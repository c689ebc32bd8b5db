import { compileWildcard } from './wildcard.js';

/**
 * IAM's condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators"): how one
 * request value compares with one policy value. A negated operator (StringNotEquals, …) matches when
 * the request value matches none of the policy values.
 */
export interface ConditionOperator {
  /** Prepares a policy value once (a wildcard compiled, a number parsed); undefined: it can never match. */
  prepare(policyValue: string): ((requestValue: string) => boolean) | undefined;
  readonly negated: boolean;
  /** Whether `prepare` compiles (a RegExp): a policy value with variables, prepared per request, then costs more than a cached decision. */
  readonly compiles: boolean;
}

function operator(negated: boolean, prepare: ConditionOperator['prepare'], compiles = false): ConditionOperator {
  return { negated, prepare, compiles };
}

const stringEquals = (p: string) => (v: string) => v === p;
const stringEqualsIgnoreCase = (p: string) => {
  const lower = p.toLowerCase();
  return (v: string) => v.toLowerCase() === lower;
};
const stringLike = (p: string) => compileWildcard(p, false);

function numeric(compare: (a: number, b: number) => boolean): ConditionOperator['prepare'] {
  return (p) => {
    const b = Number(p);
    if (p.trim() === '' || Number.isNaN(b)) return undefined;
    return (v) => {
      const a = Number(v);
      return v.trim() !== '' && !Number.isNaN(a) && compare(a, b);
    };
  };
}

/** A date as ISO 8601 or epoch seconds (IAM accepts both). */
function dateOf(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function date(compare: (a: number, b: number) => boolean): ConditionOperator['prepare'] {
  return (p) => {
    const b = dateOf(p);
    if (b === undefined) return undefined;
    return (v) => {
      const a = dateOf(v);
      return a !== undefined && compare(a, b);
    };
  };
}

/** IPv4 (a.b.c.d or CIDR) as a 32-bit range; IPv6 compared as written. */
function ipAddress(p: string): ((v: string) => boolean) | undefined {
  const [address, bits] = p.split('/');
  const base = ipv4(address!);
  if (base === undefined) return (v) => v.toLowerCase() === p.toLowerCase();
  const prefix = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (v) => {
    const ip = ipv4(v.startsWith('::ffff:') ? v.slice(7) : v);
    return ip !== undefined && ((ip & mask) >>> 0) === ((base & mask) >>> 0);
  };
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    n = n * 256 + Number(part);
  }
  return n >>> 0;
}

const bool = (p: string) => {
  const lower = p.toLowerCase();
  return (v: string) => v.toLowerCase() === lower;
};

/** Every operator but Null (which tests the key's presence), by name. */
export const CONDITION_OPERATORS: Readonly<Record<string, ConditionOperator>> = {
  StringEquals: operator(false, stringEquals),
  StringNotEquals: operator(true, stringEquals),
  StringEqualsIgnoreCase: operator(false, stringEqualsIgnoreCase),
  StringNotEqualsIgnoreCase: operator(true, stringEqualsIgnoreCase),
  StringLike: operator(false, stringLike, true),
  StringNotLike: operator(true, stringLike, true),
  NumericEquals: operator(false, numeric((a, b) => a === b)),
  NumericNotEquals: operator(true, numeric((a, b) => a === b)),
  NumericLessThan: operator(false, numeric((a, b) => a < b)),
  NumericLessThanEquals: operator(false, numeric((a, b) => a <= b)),
  NumericGreaterThan: operator(false, numeric((a, b) => a > b)),
  NumericGreaterThanEquals: operator(false, numeric((a, b) => a >= b)),
  DateEquals: operator(false, date((a, b) => a === b)),
  DateNotEquals: operator(true, date((a, b) => a === b)),
  DateLessThan: operator(false, date((a, b) => a < b)),
  DateLessThanEquals: operator(false, date((a, b) => a <= b)),
  DateGreaterThan: operator(false, date((a, b) => a > b)),
  DateGreaterThanEquals: operator(false, date((a, b) => a >= b)),
  Bool: operator(false, bool),
  BinaryEquals: operator(false, stringEquals),
  IpAddress: operator(false, ipAddress, true),
  NotIpAddress: operator(true, ipAddress, true),
  ArnEquals: operator(false, stringLike, true),
  ArnLike: operator(false, stringLike, true),
  ArnNotEquals: operator(true, stringLike, true),
  ArnNotLike: operator(true, stringLike, true),
};
