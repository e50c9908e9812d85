import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsCredentials, eventBridgeEndpoint, region as awsRegion } from '../config/env.ts';

/**
 * EventBridge PutEvents, signed with SigV4 by the same signer the bundled DynamoDB client uses.
 * The generated EventBridge client would bundle schemas of every EventBridge operation (~48 KB,
 * enough to take the functions that publish over the 300 KB budget); one JSON POST needs none of
 * them. Credentials come from the environment, as in Lambda; the endpoint honours the SDK's
 * `AWS_ENDPOINT_URL_EVENTBRIDGE` override (tests use a stand-in server).
 */
export interface PutEventsEntry {
  readonly EventBusName: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
}

export interface PutEventsOutput {
  readonly FailedEntryCount?: number;
  readonly Entries?: readonly {
    readonly EventId?: string;
    readonly ErrorCode?: string;
    readonly ErrorMessage?: string;
  }[];
}

/** One signer per region and credentials (the local runtime runs functions with different ones in one process). */
const signers = new Map<string, SignatureV4>();

function send(
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
    req.on('timeout', () => req.destroy(new Error(`PutEvents timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function putEvents(
  entries: readonly PutEventsEntry[],
  opts: { attempts?: number; timeoutMs?: number } = {},
): Promise<PutEventsOutput> {
  const region = awsRegion();
  const url = new URL(eventBridgeEndpoint() ?? `https://events.${region}.amazonaws.com/`);
  const credentials = awsCredentials();
  const key = `${region}|${credentials?.accessKeyId ?? ''}`;
  let signer = signers.get(key);
  if (!signer)
    signers.set(
      key,
      (signer = new SignatureV4({ service: 'events', region, credentials: credentials ?? fromEnv(), sha256: Sha256 })),
    );
  const body = JSON.stringify({ Entries: entries });
  const attempts = opts.attempts ?? 3;
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
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSEvents.PutEvents',
      },
      body,
    });
    try {
      const res = await send(url, signed.headers, body, opts.timeoutMs ?? 5000);
      if (res.status >= 200 && res.status < 300) return JSON.parse(res.text) as PutEventsOutput;
      // Throttling and server errors are retried; anything else (denied, invalid) is not.
      const retryable = res.status === 429 || res.status >= 500 || /Throttl/.test(res.text);
      if (!retryable || attempt >= attempts)
        throw new Error(`PutEvents answered ${res.status}: ${res.text.slice(0, 200)}`);
    } catch (err) {
      if (attempt >= attempts || (err instanceof Error && err.message.startsWith('PutEvents answered'))) throw err;
    }
    await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
  }
}
