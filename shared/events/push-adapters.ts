import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsCredentials, region as awsRegion } from '../config/env.ts';
import { NotSent, type PushAdapter, type PushMessage } from './channels.ts';

/**
 * The cloud's push adapters. Each reads its configuration from a secret named by the function's
 * environment (`secretsmanager:<name or ARN>` or `ssm:<SecureString parameter>`), on the first
 * push and then every hour, and never logs it (errors name the channel and the provider's code,
 * not the secret, the phone or the openid).
 *
 * - WeChat subscription messages (`wechatSubscription`): secret `{ appId, appSecret, templates:
 *   { <notice type>: <template id> }, page? }`; an access token from `cgi-bin/token` (cached
 *   until it expires), then `cgi-bin/message/subscribe/send` with `thing1` the title and `thing2`
 *   the text (WeChat's `thing` fields take 20 characters).
 * - SMS (`smsGateway`): secret `{ url, token, signName, templates: { <notice type>: <template id> } }`;
 *   one JSON POST to the district's SMS gateway (its provider's or a relay), Bearer token.
 * A notice type without a template is refused (NotSent): the notifier counts it undeliverable.
 */
const signers = new Map<string, SignatureV4>();

async function awsPost<T>(service: string, target: string, body: unknown): Promise<T> {
  const region = awsRegion();
  const url = new URL(`https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`);
  const credentials = awsCredentials();
  const key = `${service}|${region}|${credentials?.accessKeyId ?? ''}`;
  let signer = signers.get(key);
  if (!signer)
    signers.set(
      key,
      (signer = new SignatureV4({ service, region, credentials: credentials ?? fromEnv(), sha256: Sha256 })),
    );
  const text = JSON.stringify(body);
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    path: '/',
    query: {},
    headers: { host: url.hostname, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body: text,
  });
  const res = await fetch(url, { method: 'POST', headers: signed.headers, body: text });
  if (!res.ok) throw new NotSent(`${service} answered ${res.status} reading the channel's secret`);
  return (await res.json()) as T;
}

/** A secret's JSON: `secretsmanager:<id>` or `ssm:<name>`. */
export async function readSecret(ref: string): Promise<Record<string, unknown>> {
  const [kind, ...rest] = ref.split(':');
  const id = rest.join(':');
  const raw =
    kind === 'ssm'
      ? (
          await awsPost<{ Parameter?: { Value?: string } }>('ssm', 'AmazonSSM.GetParameter', {
            Name: id,
            WithDecryption: true,
          })
        ).Parameter?.Value
      : (await awsPost<{ SecretString?: string }>('secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: id }))
          .SecretString;
  if (!raw) throw new NotSent(`the channel's secret ${kind} is empty`);
  return JSON.parse(raw) as Record<string, unknown>;
}

const SECRET_TTL_MS = 3600_000;

function cachedSecret(ref: string) {
  let value: { at: number; secret: Promise<Record<string, unknown>> } | undefined;
  return () => {
    if (!value || Date.now() - value.at > SECRET_TTL_MS) {
      const secret = readSecret(ref);
      secret.catch(() => (value = undefined));
      value = { at: Date.now(), secret };
    }
    return value.secret;
  };
}

const templateOf = (secret: Record<string, unknown>, m: PushMessage): string => {
  const t = (secret.templates as Record<string, string> | undefined)?.[m.type];
  if (!t) throw new NotSent(`no ${m.channel} template for ${m.type}`);
  return t;
};

export function smsGateway(ref: string): PushAdapter {
  const secret = cachedSecret(ref);
  return {
    async send(m) {
      const s = await secret();
      const res = await fetch(String(s.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${String(s.token)}` },
        body: JSON.stringify({
          to: m.to,
          signName: s.signName,
          template: templateOf(s, m),
          params: { title: m.title, text: m.body },
          reference: m.dedupeKey,
        }),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new NotSent(`the SMS gateway answered ${res.status}`);
    },
  };
}

export function wechatSubscription(ref: string): PushAdapter {
  const secret = cachedSecret(ref);
  let token: { value: string; until: number } | undefined;
  async function accessToken(s: Record<string, unknown>): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    const url = new URL('https://api.weixin.qq.com/cgi-bin/token');
    url.search = new URLSearchParams({
      grant_type: 'client_credential',
      appid: String(s.appId),
      secret: String(s.appSecret),
    }).toString();
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    const j = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number };
    if (!j.access_token) throw new NotSent(`WeChat refused an access token (errcode ${j.errcode ?? res.status})`);
    token = { value: j.access_token, until: Date.now() + ((j.expires_in ?? 7200) - 300) * 1000 };
    return token.value;
  }
  return {
    async send(m) {
      const s = await secret();
      const url = new URL('https://api.weixin.qq.com/cgi-bin/message/subscribe/send');
      url.search = new URLSearchParams({ access_token: await accessToken(s) }).toString();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          touser: m.to,
          template_id: templateOf(s, m),
          ...(typeof s.page === 'string' ? { page: s.page } : {}),
          data: { thing1: { value: m.title.slice(0, 20) }, thing2: { value: m.body.slice(0, 20) } },
        }),
        signal: AbortSignal.timeout(5000),
      });
      const j = (await res.json()) as { errcode?: number };
      if (j.errcode === 40001 || j.errcode === 42001) token = undefined;
      if (j.errcode !== 0) throw new NotSent(`WeChat refused the message (errcode ${j.errcode ?? res.status})`);
    },
  };
}
