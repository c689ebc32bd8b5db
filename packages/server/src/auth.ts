import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

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

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/**
 * DynamoDB's authentication checks, in its order. Every request needs a well-formed SigV4
 * Authorization header (or presigned query); with `credentials` the signature is also verified.
 */
export async function authenticate(request: AuthRequest, credentials: readonly ServerCredentials[] | undefined): Promise<AuthFailure | undefined> {
  const authHeader = header(request.headers, 'authorization');
  const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
  const authQuery = query.has('X-Amz-Algorithm');

  if (authHeader !== undefined && authQuery) {
    return {
      type: 'InvalidSignatureException',
      message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    };
  }
  if ((authHeader === undefined && !authQuery) || (authHeader !== undefined && !authHeader.trim().startsWith('AWS4-'))) {
    return { type: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' };
  }

  if (authHeader === undefined) {
    let message = '';
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
      if (!query.get(name)) message += `AWS query-string parameters must include '${name}'. `;
    }
    if (message) return { type: 'IncompleteSignatureException', message: `${message}Re-examine the query-string parameters.` };
    // Presigned requests are accepted as well-formed; strict mode does not verify them.
    return credentials ? { type: 'InvalidSignatureException', message: SIGNATURE_MISMATCH } : undefined;
  }

  const params = authorizationParams(authHeader);
  let message = '';
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.get(name)) message += `Authorization header requires '${name}' parameter. `;
  }
  const amzDate = header(request.headers, 'x-amz-date');
  if (amzDate === undefined && header(request.headers, 'date') === undefined) {
    message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (message) return { type: 'IncompleteSignatureException', message: `${message}Authorization=${authHeader}` };
  if (!credentials) return undefined;

  const algorithm = authHeader.trim().split(/\s+/, 1)[0] ?? '';
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    return {
      type: 'IncompleteSignatureException',
      message: `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
    };
  }
  const scope = (params.get('Credential') ?? '').replace(/\/+$/, '').split('/');
  if (scope.length !== 5) {
    return {
      type: 'IncompleteSignatureException',
      message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${params.get('Credential') ?? ''}'`,
    };
  }
  const [keyId, , region, service] = scope as [string, string, string, string, string];
  const key = credentials.find((c) => c.accessKeyId === keyId);
  if (!key) return { type: 'UnrecognizedClientException', message: INVALID_TOKEN };
  if (amzDate === undefined || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return { type: 'InvalidSignatureException', message: SIGNATURE_MISMATCH };
  }

  const signed = await expectedSignature(request, key, region, service, amzDate, (params.get('SignedHeaders') ?? '').split(';'));
  return signed === params.get('Signature') ? undefined : { type: 'InvalidSignatureException', message: SIGNATURE_MISMATCH };
}

async function expectedSignature(
  request: AuthRequest,
  key: ServerCredentials,
  region: string,
  service: string,
  amzDate: string,
  signedHeaders: string[],
): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name.toLowerCase()];
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const query: Record<string, string | string[]> = {};
  if (queryStart >= 0) {
    for (const [name, value] of new URLSearchParams(request.url.slice(queryStart + 1))) {
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
  const date = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (Number.isNaN(date.getTime())) return undefined;
  const result = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path, query, headers, body: request.body },
    { signingDate: date, signingRegion: region, signingService: service, signableHeaders: new Set(Object.keys(headers)) },
  );
  const authorization = result.headers.authorization ?? result.headers.Authorization ?? '';
  return /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
}

function authorizationParams(authHeader: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of authHeader.trim().split(/[,\s]+/).slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return params;
}

function header(headers: AuthRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
