import { INTEGER, STRING, beginConstraints, checkShape, struct } from '@magneto/core';
import { ImportNotFoundException } from './errors.js';
import type { ExportImportHost } from './export-import-host.js';
import { importDescription, importSummary } from './import-job.js';
import { pageOf } from './paging.js';

/** The requests' wire shapes: a member of the wrong JSON type is a SerializationException, as on DynamoDB. */
const DESCRIBE_SHAPE = struct('DescribeImportInput', { ImportArn: STRING });
const LIST_SHAPE = struct('ListImportsInput', { TableArn: STRING, PageSize: INTEGER, NextToken: STRING });

/** DescribeImport: an import's description, counts as of now; ImportNotFoundException for an unknown ARN. */
export function describeImport(host: ExportImportHost, input: { ImportArn: string }): { ImportTableDescription: Record<string, unknown> } {
  checkShape(input as unknown as Record<string, unknown>, DESCRIBE_SHAPE);
  const c = beginConstraints();
  if (c.notNull('importArn', input.ImportArn)) c.length('importArn', input.ImportArn, 37, 1024);
  c.finish();
  const job = host.imports.get(input.ImportArn);
  if (job === undefined) throw new ImportNotFoundException(`Import not found: ${input.ImportArn}`);
  return { ImportTableDescription: importDescription(job) };
}

export interface ListImportsInput {
  TableArn?: string;
  PageSize?: number;
  NextToken?: string;
}

/** ListImports: the imports (of TableArn, if given), oldest first, PageSize (1-25, default 25) at a time. */
export function listImports(host: ExportImportHost, input: ListImportsInput): { ImportSummaryList: Array<Record<string, unknown>>; NextToken?: string } {
  checkShape(input as unknown as Record<string, unknown>, LIST_SHAPE);
  const c = beginConstraints();
  c.length('tableArn', input.TableArn, 1, 1024);
  c.min('pageSize', input.PageSize, 1);
  c.max('pageSize', input.PageSize, 25);
  c.length('nextToken', input.NextToken, 112, 1024);
  c.finish();
  const jobs = [...host.imports.values()].filter((job) => input.TableArn === undefined || job.tableArn === input.TableArn);
  const { page, nextToken } = pageOf(jobs, input.PageSize ?? 25, input.NextToken);
  const output: { ImportSummaryList: Array<Record<string, unknown>>; NextToken?: string } = { ImportSummaryList: page.map(importSummary) };
  if (nextToken !== undefined) output.NextToken = nextToken;
  return output;
}
