import type { Contract } from '../http/api.ts';
import * as z from 'zod/mini';

export const health = {
  method: 'GET',
  path: '/health',
  response: z.object({ status: z.enum(['ok']), district: z.string(), table: z.enum(['reachable']), time: z.string() }),
  description: 'Liveness: 200 when the function runs and its table answers, else 503 problem+json.',
} as const satisfies Contract;

export const openapi = {
  method: 'GET',
  path: '/openapi.json',
  description: 'This document.',
} as const satisfies Contract;
