/**
 * What the OpenAPI document says about itself (its `info`), declared once as data. The paths,
 * schemas and examples come from the contracts (shared/contract/); the base URLs (`servers`) come
 * from each stack's configuration at run time (API_URL and CITY_API_URL, shared/config/env.ts),
 * never from a request's Host header.
 */
export const API_DOCUMENT = {
  title: 'Pioneer API',
  /** The API's version (API.md: v1). A breaking change to a path or a field is a new major version. */
  version: '1.0.0',
  description:
    'Community volunteer service (蓉城先锋·党员e家): check-in, teams, monthly themes, activities and service records, micro-wishes, statistics. One API per district; the city’s routes are served by the City stack at its own base URL.\n\n' +
    'Every route but the public ones needs `Authorization: Bearer <ID token>` from the city’s Cognito user pool; the token’s `cognito:groups` is the role and its `custom:*` claims the scope. ' +
    'A missing, expired or forged token is answered by API Gateway’s JWT authorizer: 401 `application/json` `{"message":"Unauthorized"}` with `WWW-Authenticate`. ' +
    'Every other error is `application/problem+json` (RFC 9457) with a stable `code`; each operation lists the codes it can answer, by status.',
  /** The city API's own document (GET /city/openapi.json on the City stack's API). */
  cityTitle: 'Pioneer City API',
  cityDescription:
    'The city’s routes of Pioneer (蓉城先锋·党员e家), served by the City stack at its own base URL: every district’s frozen months, the city totals and ranking, the city’s monthly theme plan, the featured projects awarded. For `city_admin`s, with `Authorization: Bearer <ID token>` from the city’s Cognito user pool. ' +
    'A missing, expired or forged token is answered by API Gateway’s JWT authorizer: 401 `application/json` `{"message":"Unauthorized"}` with `WWW-Authenticate`. ' +
    'Every other error is `application/problem+json` (RFC 9457) with a stable `code`; each operation lists the codes it can answer, by status.',
  contact: {
    name: 'Pioneer platform team',
    email: 'pioneer-api@pioneer.example',
    url: 'https://pioneer.example/support',
  },
  license: { name: 'Proprietary: for apps of the Chengdu Pioneer platform', url: 'https://pioneer.example/license' },
} as const;
