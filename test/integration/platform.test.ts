import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import { setLogSink } from '../../shared/http/logger.ts';
import { health } from '../../shared/services/platform.ts';
import { handler } from '../../functions/platform/index.ts';
import { uniqueTableName, useFreshTable } from '../support/table.ts';

/** Health through its service (shared/services/platform.ts), against DynamoDB Local: a table that does not answer is a 503. */
const get = async () =>
  (await handler(
    {
      version: '2.0',
      routeKey: 'GET /health',
      rawPath: '/health',
      rawQueryString: '',
      headers: {},
      requestContext: { requestId: 'h', http: { method: 'GET', path: '/health' } },
    } as never,
    { awsRequestId: 'h' } as Context,
  )) as { statusCode: number; headers: Record<string, string>; body: string };

let table: string;
const logs: string[] = [];
let restore: () => void;

beforeAll(async () => {
  table = await useFreshTable();
  restore = setLogSink((line) => logs.push(line));
});
afterAll(() => restore());

describe('health', () => {
  it('is ok while the table answers', async () => {
    expect(await health()).toMatchObject({ status: 'ok', table: 'reachable' });
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok', table: 'reachable' });
  });

  it('is UNAVAILABLE (503, problem+json) when the table does not answer, and logs why', async () => {
    process.env.TABLE_NAME = uniqueTableName('missing');
    try {
      const err = await health().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('UNAVAILABLE');
      const res = await get();
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({
        status: 503,
        code: 'UNAVAILABLE',
        detail: 'the table does not answer',
      });
      const logged = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
      expect(logged?.cause?.errorName).toBe('ResourceNotFoundException');
    } finally {
      process.env.TABLE_NAME = table;
    }
  });
});
