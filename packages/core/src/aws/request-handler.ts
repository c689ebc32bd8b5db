import type { Database } from '../database.js';
import type { RequestCaller } from '../modules/module.js';
import { DynamoDBError, InternalServerError, SerializationException, UnknownOperationException } from '../errors.js';
import { nextRequestId } from './request-id.js';
import { replyContentType, responseHeaders } from './response-headers.js';
import { decodeRequestBody, encodeResponseBody } from './wire-json.js';

/** The parts of an AWS SDK v3 HttpRequest the handler reads. */
export interface SdkHttpRequest {
  headers: Record<string, string>;
  body?: unknown;
  /**
   * Who sends it, when a server in front of the handler knows better than the headers (the key it
   * verified, the client's address). The SDK never sets it.
   */
  caller?: RequestCaller;
}

/** Options of `createRequestHandler`. */
export interface RequestHandlerOptions {
  /**
   * The principal every request runs as (with the `accessControl()` module: a principal's name or
   * ARN). Default: the access key id the SDK signed the request with.
   */
  principal?: string;
}

/** The HttpResponse the handler answers with (body is always a Uint8Array). */
export interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What AWS SDK v3 accepts as a client's `requestHandler`. */
export interface MagnetoRequestHandler {
  handle(request: SdkHttpRequest, options?: unknown): Promise<{ response: SdkHttpResponse }>;
  updateHttpClientConfig(key: string, value: unknown): void;
  httpHandlerConfigs(): Record<string, unknown>;
  destroy(): void;
}

const utf8Encoder = new TextEncoder();
// fatal: invalid UTF-8 must not turn into U+FFFD, which would make distinct keys equal.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * An AWS SDK v3 request handler that serves the client from an in-process Database: no network, and
 * no runtime dependency on the SDK. It speaks DynamoDB's JSON 1.0 protocol, so SDK code runs unchanged
 * and receives the SDK's own exception classes with DynamoDB's messages.
 *
 * @example
 * const client = new DynamoDBClient({
 *   region: 'us-east-1',
 *   credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
 *   requestHandler: createRequestHandler(new Database()),
 * });
 * const docs = DynamoDBDocumentClient.from(client);
 */
export function createRequestHandler(db: Database, options: RequestHandlerOptions = {}): MagnetoRequestHandler {
  const named: RequestCaller | undefined = options.principal === undefined ? undefined : { principal: options.principal };
  return {
    async handle(request) {
      return { response: await respond(db, request, named ?? request.caller ?? signedBy(request.headers)) };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

/**
 * The UnknownOperationException for an `X-Amz-Target` no registered operation serves. DynamoDB's carries no
 * message; this one names the target, to tell a typo from an operation Magneto does not implement yet.
 */
export function unknownOperation(target: string): UnknownOperationException {
  return new UnknownOperationException(`Unknown operation: ${target || '(no X-Amz-Target header)'}`);
}

async function respond(db: Database, request: SdkHttpRequest, caller: RequestCaller | undefined): Promise<SdkHttpResponse> {
  const requestId = nextRequestId();
  const contentType = replyContentType(headerOf(request.headers, 'content-type'));
  try {
    const target = headerOf(request.headers, 'x-amz-target') ?? '';
    const [service, operation] = parseTarget(target);
    // The catalog decides: core's services and any a module registered operations of. DynamoDB's answer
    // carries no message; naming the target tells a typo from an operation Magneto does not implement yet.
    if (!db.hasOperation(service, operation)) throw unknownOperation(target);
    const input = decodeRequestBody(bodyText(request.body));
    const output = await db.execute(service, operation, input, caller);
    return reply(200, encodeResponseBody(output ?? {}), requestId, contentType);
  } catch (error) {
    const failure = error instanceof DynamoDBError ? error : internalError(error);
    return reply(failure.statusCode, encodeResponseBody(failure.wireBody()), requestId, contentType);
  }
}

function reply(statusCode: number, json: string, requestId: string, contentType: string): SdkHttpResponse {
  const body = utf8Encoder.encode(json);
  // The SDK's HttpResponse carries header names in lower case.
  const headers: Record<string, string> = {};
  for (const [name, value] of responseHeaders(contentType, body, requestId)) headers[name.toLowerCase()] = value;
  return { statusCode, headers, body };
}

/** A request header, whatever the case of its name; undefined when there is none. */
function headerOf(headers: Record<string, string>, lowerCaseName: string): string | undefined {
  // The SDK writes its header names in lower case: no scan for them.
  let value = headers[lowerCaseName];
  if (value !== undefined) return value;
  for (const name in headers) if (name.toLowerCase() === lowerCaseName) value = headers[name];
  return value;
}

/**
 * The access key id of a SigV4-signed request (`Authorization: AWS4-HMAC-SHA256 Credential=AKID/…`),
 * if it has one: the SDK signs every request with the client's credentials.
 */
function signedBy(headers: Record<string, string>): RequestCaller | undefined {
  let authorization: string | undefined;
  for (const name in headers) if (name.toLowerCase() === 'authorization') authorization = headers[name];
  if (authorization === undefined) return undefined;
  const start = authorization.indexOf('Credential=');
  if (start < 0) return undefined;
  const end = authorization.indexOf('/', start);
  return end < 0 ? undefined : { accessKeyId: authorization.slice(start + 11, end) };
}

/** `X-Amz-Target`'s service prefix and operation name (empty when there is no dot: no operation has an empty name). */
function parseTarget(target: string): [service: string, operation: string] {
  const dot = target.indexOf('.');
  return dot < 0 ? ['', ''] : [target.slice(0, dot), target.slice(dot + 1)];
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) {
    try {
      return utf8Decoder.decode(body);
    } catch {
      // DynamoDB answers a body that is not UTF-8 with a message-less SerializationException
      // (aws/aws-sdk-js#46: an SDK that sent Latin-1 bytes got `SerializationException`, message null).
      throw new SerializationException('');
    }
  }
  throw new InternalServerError('The in-process request handler needs a string or Uint8Array request body');
}

function internalError(error: unknown): InternalServerError {
  // Not one of DynamoDB's errors: a bug in Magneto. Keep it visible rather than disguised.
  console.error('magneto: internal error while serving a request', error);
  return new InternalServerError('Internal server error');
}
