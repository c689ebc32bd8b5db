import { INTEGER, STRING, beginConstraints, checkShape, struct } from '@magneto/core';
import { ExportNotFoundException } from './errors.js';
import type { ExportImportHost } from './export-import-host.js';
import { exportDescription, exportSummary } from './export-job.js';
import { pageOf } from './paging.js';

/** The requests' wire shapes: a member of the wrong JSON type is a SerializationException, as on DynamoDB. */
const DESCRIBE_SHAPE = struct('DescribeExportInput', { ExportArn: STRING });
const LIST_SHAPE = struct('ListExportsInput', { TableArn: STRING, MaxResults: INTEGER, NextToken: STRING });

/** DescribeExport: an export's description; ExportNotFoundException for an unknown ARN. */
export function describeExport(host: ExportImportHost, input: { ExportArn: string }): { ExportDescription: Record<string, unknown> } {
  checkShape(input as unknown as Record<string, unknown>, DESCRIBE_SHAPE);
  const c = beginConstraints();
  if (c.notNull('exportArn', input.ExportArn)) c.length('exportArn', input.ExportArn, 37, 1024);
  c.finish();
  const job = host.exports.get(input.ExportArn);
  if (job === undefined) throw new ExportNotFoundException(`Export not found: ${input.ExportArn}`);
  return { ExportDescription: exportDescription(job) };
}

export interface ListExportsInput {
  TableArn?: string;
  MaxResults?: number;
  NextToken?: string;
}

/** ListExports: the exports (of TableArn, if given), oldest first, MaxResults (1-25, default 25) at a time. */
export function listExports(host: ExportImportHost, input: ListExportsInput): { ExportSummaries: Array<Record<string, unknown>>; NextToken?: string } {
  checkShape(input as unknown as Record<string, unknown>, LIST_SHAPE);
  const c = beginConstraints();
  c.length('tableArn', input.TableArn, 1, 1024);
  c.min('maxResults', input.MaxResults, 1);
  c.max('maxResults', input.MaxResults, 25);
  c.finish();
  const jobs = [...host.exports.values()].filter((job) => input.TableArn === undefined || job.tableArn === input.TableArn);
  const { page, nextToken } = pageOf(jobs, input.MaxResults ?? 25, input.NextToken);
  const output: { ExportSummaries: Array<Record<string, unknown>>; NextToken?: string } = { ExportSummaries: page.map(exportSummary) };
  if (nextToken !== undefined) output.NextToken = nextToken;
  return output;
}
