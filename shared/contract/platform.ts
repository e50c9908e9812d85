import * as z from 'zod/mini';
import type { Contract } from '../http/api.ts';
import { DOCS_APIS, DOCS_ASSET_NAMES } from '../config/docs.ts';
import { describe, IsoTime, named } from './common.ts';

export const health = {
  method: 'GET',
  path: '/health',
  response: named(
    'Health',
    z.object({ status: z.enum(['ok']), district: z.string(), table: z.enum(['reachable']), time: IsoTime }),
  ),
  description: 'Liveness: 200 when the function runs and its table answers, else 503 problem+json.',
  tag: 'platform',
  errors: [],
  examples: {
    response: { status: 'ok', district: 'jinjiang', table: 'reachable', time: '2026-12-05T01:00:00.000Z' },
  },
} as const satisfies Contract;

export const openapi = {
  method: 'GET',
  path: '/openapi.json',
  replies: 'document',
  description:
    'This document: OpenAPI 3.1, generated from the contracts when the function is built. Its `servers` come from the stack’s configuration.',
  tag: 'platform',
  errors: [],
  examples: {
    response: { openapi: '3.1.0', info: { title: 'Pioneer API (jinjiang)', version: '1.0.0' }, paths: {} },
  },
} as const satisfies Contract;

export const docsPage = {
  method: 'GET',
  path: '/docs',
  query: z.strictObject({
    api: describe(
      z._default(z.enum(DOCS_APIS), 'district'),
      'the document shown: `district` (this API’s, GET /openapi.json) or `city` (the city API’s, GET /city/openapi.json on the city API)',
    ),
  }),
  replies: 'page',
  description:
    'The interactive API reference for app developers: Redoc renders the district’s or the city’s OpenAPI document, with a bar to switch between them. Served by this API with its scripts (GET /docs/assets/{file}), no CDN; cached 5 minutes.',
  tag: 'platform',
  errors: [],
  examples: { query: { api: 'district' }, response: '<!doctype html>…' },
} as const satisfies Contract;

export const docsAsset = {
  method: 'GET',
  path: '/docs/assets/{file}',
  params: z.strictObject({ file: describe(z.enum(DOCS_ASSET_NAMES), 'a file of the reference page') }),
  replies: 'script',
  description:
    'A script of the reference page: Redoc’s standalone build, or the page’s own. gzip-compressed when Accept-Encoding takes gzip; cached a day.',
  tag: 'platform',
  errors: [],
  examples: { params: { file: 'docs.js' }, response: '(() => { … })();' },
} as const satisfies Contract;
