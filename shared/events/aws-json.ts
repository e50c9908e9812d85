import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { partition } from '@aws-sdk/core/client';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsCredentials, region as awsRegion } from '../config/env.ts';

/**
 * One call of an AWS JSON 1.1 API (EventBridge PutEvents, Systems Manager GetParametersByPath),
 * signed with SigV4 by the signer the bundled DynamoDB client carries anyway. The generated clients
 * would each bundle the schemas of every operation of their service (EventBridge's alone is
 * ~48 KB); one JSON POST needs none of them. Credentials come from the environment, as in Lambda.
 *
 * The endpoint follows the region's partition (`events.cn-north-1.amazonaws.com.cn` in China,
 * `events.ap-southeast-1.amazonaws.com` elsewhere), from the partition table the DynamoDB client
 * already holds; the SDK's `AWS_ENDPOINT_URL_<SERVICE>` override wins (tests use stand-ins).
 */

/** `https://<service>.<region>.<the partition's DNS suffix>/`. */
export function serviceEndpoint(service: string, region: string): string {
  return `https://${service}.${region}.${partition(region).dnsSuffix}/`;
}

/** One signer per service, region and credentials (the local runtime runs functions with different ones in one process). */
const signers = new Map<string, SignatureV4>();

function send(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  what: string,
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
    req.on('timeout', () => req.destroy(new Error(`${what} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface AwsJsonCall {
  /** The endpoint prefix and signing name: `events`, `ssm`. */
  readonly service: string;
  /** `X-Amz-Target`: `AWSEvents.PutEvents`, `AmazonSSM.GetParametersByPath`. */
  readonly target: string;
  /** The endpoint override (env.ts reader of AWS_ENDPOINT_URL_<SERVICE>). */
  readonly endpoint?: string | undefined;
  readonly body: object;
  /** Tries in all: throttling, 5xx and network errors are retried. @default 3 */
  readonly attempts?: number;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

/** POSTs the call, signed; returns the parsed JSON reply of a 2xx, throws on anything else. */
export async function awsJson<T>(call: AwsJsonCall): Promise<T> {
  const region = awsRegion();
  const url = new URL(call.endpoint ?? serviceEndpoint(call.service, region));
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
  const what = call.target.split('.').pop() ?? call.target;
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
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': call.target },
      body,
    });
    try {
      const res = await send(url, signed.headers, body, call.timeoutMs ?? 5000, what);
      if (res.status >= 200 && res.status < 300) return JSON.parse(res.text) as T;
      // Throttling and server errors are retried; anything else (denied, invalid) is not.
      const retryable = res.status === 429 || res.status >= 500 || /Throttl/.test(res.text);
      if (!retryable || attempt >= attempts)
        throw new Error(`${what} answered ${res.status}: ${res.text.slice(0, 200)}`);
    } catch (err) {
      if (attempt >= attempts || (err instanceof Error && err.message.startsWith(`${what} answered`))) throw err;
    }
    await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
  }
}
