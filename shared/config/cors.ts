/**
 * The HTTP API's CORS settings, declared once: the CDK stack configures API Gateway's
 * preflight with them (infra/district-stack.ts), the local server answers preflights with them
 * (infra/local/server.ts), and the middy stack adds the response headers (shared/http/api.ts).
 */
export const CORS = {
  allowOrigins: ['*'],
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  exposeHeaders: ['idempotency-replayed', 'retry-after'],
  maxAgeSeconds: 600,
} as const;
