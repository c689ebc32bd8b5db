import type { AccessControlOptions, PolicyDocument, PrincipalOptions } from '@magneto/core';
/** A key pair strict mode accepts. */
export interface ServerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The request parts authentication reads. */
export interface AuthRequest {
  method: string;
  /** The path and query, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Why a request is refused: DynamoDB's exception name and message (status 400). */
export interface AuthFailure {
  type: 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'InvalidSignatureException' | 'UnrecognizedClientException';
  message: string;
}

/** A request's SigV4 parameters, from its Authorization header or its presigned query. */
export interface SignatureParts {
  presigned: boolean;
  algorithm: string;
  credential: string;
  signedHeaders: string;
  signature: string;
  /** X-Amz-Date (or, for headers, the Date header when there is no X-Amz-Date). */
  date: string;
  /** X-Amz-Expires of a presigned request. */
  expires?: string;
}

/** Whether checkSignatureShape refused the request. */
export function isAuthFailure(result: AuthFailure | SignatureParts): result is AuthFailure {
  return 'type' in result;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
/** How far a header-signed request's date may be from the server's clock. */
const MAX_SKEW_MS = 15 * 60_000;
/** The longest X-Amz-Expires SigV4 allows (7 days). */
const MAX_EXPIRES_S = 604_800;
const QUERY_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] as const;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * DynamoDB's checks of a request's signature shape, in its order, synchronously (every request runs
 * them): a well-formed SigV4 Authorization header or presigned query. Returns the parts strict mode verifies.
 */
export function checkSignatureShape(request: Pick<AuthRequest, 'url' | 'headers'>): AuthFailure | SignatureParts {
  const authHeader = header(request.headers, 'authorization');
  const queryStart = request.url.indexOf('?');
  const query = queryStart < 0 ? undefined : new URLSearchParams(request.url.slice(queryStart + 1));
  const authQuery = query?.has('X-Amz-Algorithm') === true;

  if (authHeader !== undefined && authQuery) {
    return {
      type: 'InvalidSignatureException',
      message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    };
  }
  if ((authHeader === undefined && !authQuery) || (authHeader !== undefined && !authHeader.trimStart().startsWith('AWS4-'))) {
    return { type: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' };
  }

  if (authHeader === undefined) {
    const q = query!;
    let message = '';
    for (const name of QUERY_PARAMS) if (!q.get(name)) message += `AWS query-string parameters must include '${name}'. `;
    if (message) return { type: 'IncompleteSignatureException', message: `${message}Re-examine the query-string parameters.` };
    const parts: SignatureParts = {
      presigned: true,
      algorithm: q.get('X-Amz-Algorithm')!,
      credential: q.get('X-Amz-Credential')!,
      signedHeaders: q.get('X-Amz-SignedHeaders')!,
      signature: q.get('X-Amz-Signature')!,
      date: q.get('X-Amz-Date')!,
    };
    const expires = q.get('X-Amz-Expires');
    if (expires !== null) parts.expires = expires;
    return parts;
  }

  const params = authorizationParams(authHeader);
  let message = '';
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.get(name)) message += `Authorization header requires '${name}' parameter. `;
  }
  const date = header(request.headers, 'x-amz-date') ?? header(request.headers, 'date');
  if (date === undefined) message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (message) return { type: 'IncompleteSignatureException', message: `${message}Authorization=${authHeader}` };
  return {
    presigned: false,
    algorithm: authHeader.trim().split(/\s+/, 1)[0] ?? '',
    credential: params.get('Credential')!,
    signedHeaders: params.get('SignedHeaders')!,
    signature: params.get('Signature')!,
    date: date!,
  };
}

/** The access key id a request was signed with: the first element of its credential scope. */
export function accessKeyIdOf(parts: SignatureParts): string {
  const slash = parts.credential.indexOf('/');
  return slash < 0 ? parts.credential : parts.credential.slice(0, slash);
}

/**
 * Strict mode: checks the algorithm, the credential scope (key, region, service), the date against the
 * server's clock (15 minutes either way; X-Amz-Expires for presigned requests) and the signature itself,
 * computed by @smithy/signature-v4 (loaded on the first strict request only).
 */
export async function verifySignature(
  request: AuthRequest,
  parts: SignatureParts,
  credentials: readonly ServerCredentials[],
  region: string,
  now: number,
): Promise<AuthFailure | undefined> {
  if (parts.algorithm !== 'AWS4-HMAC-SHA256') {
    return { type: 'IncompleteSignatureException', message: `Unsupported AWS 'algorithm': '${parts.algorithm}' (only AWS4-HMAC-SHA256 for now). ` };
  }
  const scope = parts.credential.replace(/\/+$/, '').split('/');
  if (scope.length !== 5) {
    return {
      type: 'IncompleteSignatureException',
      message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.credential}'`,
    };
  }
  const [keyId, , scopeRegion, service] = scope as [string, string, string, string, string];
  const key = credentials.find((c) => c.accessKeyId === keyId);
  if (!key) return { type: 'UnrecognizedClientException', message: INVALID_TOKEN };
  if (scopeRegion !== region || !REGION.test(scopeRegion)) {
    return { type: 'InvalidSignatureException', message: `Credential should be scoped to a valid region, not '${scopeRegion}'. ` };
  }
  if (service !== 'dynamodb') {
    return { type: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'dynamodb'. " };
  }
  const signedAt = parseAmzDate(parts.date);
  if (signedAt === undefined) return { type: 'InvalidSignatureException', message: SIGNATURE_MISMATCH };

  if (parts.presigned) {
    const expires = Number(parts.expires ?? MAX_EXPIRES_S);
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_S) {
      return { type: 'InvalidSignatureException', message: SIGNATURE_MISMATCH };
    }
    if (now > signedAt + expires * 1000) {
      return {
        type: 'InvalidSignatureException',
        message: `Signature expired: ${parts.date} is now earlier than ${amzDate(now - expires * 1000)} (${amzDate(now)} - ${expires} sec.)`,
      };
    }
  } else if (signedAt < now - MAX_SKEW_MS) {
    return {
      type: 'InvalidSignatureException',
      message: `Signature expired: ${parts.date} is now earlier than ${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 15 min.)`,
    };
  }
  if (signedAt > now + MAX_SKEW_MS) {
    return {
      type: 'InvalidSignatureException',
      message: `Signature not yet current: ${parts.date} is still later than ${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 15 min.)`,
    };
  }

  const expected = await expectedSignature(request, parts, key, scopeRegion, service, new Date(signedAt));
  return expected === parts.signature ? undefined : { type: 'InvalidSignatureException', message: SIGNATURE_MISMATCH };
}

type Signer = typeof import('@smithy/signature-v4').SignatureV4;
type HashCtor = typeof import('@smithy/hash-node').Hash;
let signerModules: Promise<[Signer, HashCtor]> | undefined;

/** @smithy/signature-v4 costs startup time and memory that only strict mode needs. */
function loadSigner(): Promise<[Signer, HashCtor]> {
  signerModules ??= Promise.all([import('@smithy/signature-v4'), import('@smithy/hash-node')]).then(([s, h]) => [s.SignatureV4, h.Hash]);
  return signerModules;
}

async function expectedSignature(
  request: AuthRequest,
  parts: SignatureParts,
  key: ServerCredentials,
  region: string,
  service: string,
  signingDate: Date,
): Promise<string | undefined> {
  const [SignatureV4, Hash] = await loadSigner();
  const signed = parts.signedHeaders.split(';').map((n) => n.toLowerCase());
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const query: Record<string, string | string[]> = {};
  if (queryStart >= 0) {
    for (const [name, value] of new URLSearchParams(request.url.slice(queryStart + 1))) {
      if (parts.presigned && name === 'X-Amz-Signature') continue;
      const previous = query[name];
      query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
  }
  const signer = new SignatureV4({
    service,
    region,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const httpRequest = { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path, query, headers, body: request.body };
  const names = new Set(Object.keys(headers));
  if (parts.presigned) {
    const result = await signer.presign(httpRequest, {
      signingDate,
      signingRegion: region,
      signingService: service,
      expiresIn: Number(parts.expires ?? MAX_EXPIRES_S),
      signableHeaders: names,
      unhoistableHeaders: names,
    });
    const signature = result.query?.['X-Amz-Signature'];
    return typeof signature === 'string' ? signature : undefined;
  }
  const result = await signer.sign(httpRequest, { signingDate, signingRegion: region, signingService: service, signableHeaders: names });
  const authorization = result.headers.authorization ?? result.headers.Authorization ?? '';
  return /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
}

/** 20260101T000000Z → epoch ms; undefined when not that shape. */
function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}

function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function authorizationParams(authHeader: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of authHeader.trim().split(/[,\s]+/).slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return params;
}

/** A request header's value (repeated headers joined by commas, as HTTP allows). */
export function header(headers: AuthRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** One principal of a credentials file: its ARN, its key pairs, its identity-based policies and tags. */
export interface CredentialsFilePrincipal {
  arn: string;
  accessKeys: ServerCredentials[];
  policies?: PolicyDocument[];
  tags?: Record<string, string>;
}

/**
 * What `magneto serve --credentials FILE` reads: `{ "principals": { "<name>": { "arn", "accessKeys":
 * [{ "accessKeyId", "secretAccessKey" }], "policies", "tags" } } }`. Returns the key pairs strict mode
 * verifies and the access control module's options; throws Error naming what is wrong.
 */
export function parseCredentialsFile(text: string): { credentials: ServerCredentials[]; accessControl: AccessControlOptions } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`the credentials file is not JSON: ${(error as Error).message}`);
  }
  const principals = (parsed as { principals?: unknown } | null)?.principals;
  if (principals === null || typeof principals !== 'object') throw new Error('the credentials file needs a "principals" object');
  const credentials: ServerCredentials[] = [];
  const options: Record<string, PrincipalOptions> = {};
  for (const [name, raw] of Object.entries(principals as Record<string, CredentialsFilePrincipal>)) {
    if (typeof raw?.arn !== 'string') throw new Error(`principal ${name} of the credentials file needs an "arn"`);
    const keys = Array.isArray(raw.accessKeys) ? raw.accessKeys : [];
    for (const key of keys) {
      if (typeof key?.accessKeyId !== 'string' || typeof key.secretAccessKey !== 'string') {
        throw new Error(`principal ${name} of the credentials file has an access key without "accessKeyId" and "secretAccessKey"`);
      }
      credentials.push({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
    }
    options[name] = { arn: raw.arn, accessKeyIds: keys.map((k) => k.accessKeyId), policies: raw.policies ?? [], ...(raw.tags === undefined ? {} : { tags: raw.tags }) };
  }
  return { credentials, accessControl: { principals: options } };
}
