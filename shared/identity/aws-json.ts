import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsCredentials, region as awsRegion } from '../config/env.ts';
import { serviceEndpoint } from '../events/aws-json.ts';

/**
 * One SigV4-signed call of an AWS JSON API (Cognito's admin API, DynamoDB Streams locally), with the
 * signer the bundled DynamoDB client already carries: the generated clients bundle a schema of
 * every operation of their service (Cognito's is ~200 KB), where we call five. Credentials come
 * from the environment, as in Lambda (locally: the function's own, so the local AWS layers can hold
 * each function to its grants). Throttling, 5xx and network errors are retried; anything else is
 * thrown as an AwsError carrying the service's error name (`UserNotFoundException`, ...).
 */

/**
 * `https://<endpointPrefix>.<region>.<partition's suffix>/` (China's regions under amazonaws.com.cn):
 * the same partition table as the city bus's and the directory's calls (shared/events/aws-json.ts).
 */
export function regionalEndpoint(endpointPrefix: string, region: string): string {
  return serviceEndpoint(endpointPrefix, region);
}

export class AwsError extends Error {
  override readonly name = 'AwsError';
  constructor(
    /** The service's error type without its namespace: `UserNotFoundException`. */
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(`${type}: ${message}`);
  }
  /** Whether retrying later may succeed (throttled, or the service failed). */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500 || /Throttl|TooManyRequests/.test(this.type);
  }
}

export interface AwsJsonCall {
  /** The signing name (`cognito-idp`, `dynamodb`). */
  readonly service: string;
  /** X-Amz-Target: `AWSCognitoIdentityProviderService.AdminGetUser`. */
  readonly target: string;
  readonly body: unknown;
  readonly endpoint: string;
  /** @default application/x-amz-json-1.1 */
  readonly contentType?: string;
  /** @default 3 */
  readonly attempts?: number;
  /** @default 3000 */
  readonly timeoutMs?: number;
}

const signers = new Map<string, SignatureV4>();

function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'http:' ? httpRequest : httpsRequest)(
      url,
      { method: 'POST', headers, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url.host} did not answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function errorOf(status: number, text: string): AwsError {
  let type = `Http${status}`;
  let message = text.slice(0, 200);
  try {
    const j = JSON.parse(text) as { __type?: string; message?: string; Message?: string };
    if (j.__type) type = j.__type.slice(j.__type.lastIndexOf('#') + 1);
    message = j.message ?? j.Message ?? message;
  } catch {
    // not JSON: keep the text
  }
  return new AwsError(type, message, status);
}

export async function awsJson<T>(call: AwsJsonCall): Promise<T> {
  const region = awsRegion();
  const url = new URL(call.endpoint);
  const credentials = awsCredentials();
  const key = `${call.service}|${region}|${credentials?.accessKeyId ?? ''}`;
  let signer = signers.get(key);
  if (!signer)
    signers.set(
      key,
      (signer = new SignatureV4({
        service: call.service,
        region,
        credentials: credentials ?? fromEnv(),
        sha256: Sha256,
      })),
    );
  const body = JSON.stringify(call.body);
  const attempts = call.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname || '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': call.contentType ?? 'application/x-amz-json-1.1',
        'x-amz-target': call.target,
      },
      body,
    });
    let failure: unknown;
    try {
      const res = await post(url, signed.headers, body, call.timeoutMs ?? 3000);
      if (res.status >= 200 && res.status < 300) return (res.text ? JSON.parse(res.text) : {}) as T;
      const err = errorOf(res.status, res.text);
      if (!err.retryable) throw err;
      failure = err;
    } catch (err) {
      if (err instanceof AwsError && !err.retryable) throw err;
      failure = err;
    }
    if (attempt >= attempts) throw failure;
    await new Promise((r) => setTimeout(r, 50 * 2 ** attempt + Math.random() * 50));
  }
}
