import { ValidationException } from '@magneto/core';
import { hex } from './job-id.js';

/**
 * A page of jobs (exports or imports, oldest first) and the NextToken of the rest: the page's last ARN
 * in hex, NUL-padded to whole groups of 16 digits (ListImports' NextToken pattern is `([0-9a-f]{16})+`).
 */
export function pageOf<Job extends { readonly arn: string }>(jobs: readonly Job[], size: number, token: string | undefined): { page: Job[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = decodeToken(token);
    start = jobs.findIndex((job) => job.arn === after) + 1;
    if (start === 0) throw new ValidationException('Invalid NextToken');
  }
  const page = jobs.slice(start, start + size);
  if (start + size >= jobs.length) return { page };
  return { page, nextToken: encodeToken(page[page.length - 1]!.arn) };
}

function encodeToken(arn: string): string {
  const digits = hex(new TextEncoder().encode(arn));
  return digits.padEnd(Math.max(112, Math.ceil(digits.length / 16) * 16), '0');
}

function decodeToken(token: string): string {
  if (!/^([0-9a-f]{16})+$/.test(token)) throw new ValidationException('Invalid NextToken');
  const bytes = Uint8Array.from(token.match(/../g)!, (pair) => parseInt(pair, 16));
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
