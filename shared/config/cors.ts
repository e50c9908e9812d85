/**
 * The HTTP API's CORS settings, declared once: the CDK stack configures API Gateway's
 * preflight with them (infra/district-stack.ts), the local server answers preflights with them
 * (infra/local/server.ts), and the middy stack adds the response headers (shared/http/api.ts).
 */
export const CORS = {
  allowOrigins: ['*'],
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  // Every response header the OpenAPI document names, so that a browser app can read it (a test holds that).
  exposeHeaders: ['idempotency-replayed', 'retry-after', 'content-disposition', 'www-authenticate', 'content-encoding'],
  maxAgeSeconds: 600,
} as const;
