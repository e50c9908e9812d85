import * as z from 'zod/mini';
import type { Contract } from '../http/api.ts';
import { IsoTime, named } from './common.ts';

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
