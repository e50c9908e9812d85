/**
 * The CORS settings of the HTTP API. The local server applies them; the CDK stack should
 * configure the same (`corsPreflight` of the HttpApi): keep the two aligned.
 */
export const CORS = {
  allowOrigins: ['*'],
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  maxAgeSeconds: 600,
} as const;
