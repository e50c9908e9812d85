import { describe, expect, it } from 'vitest';
import type { Exchange } from '../support/exchanges.ts';
import { conformance } from '../support/openapi.ts';

/**
 * The e2e suite's conformance check (test/support/openapi.ts) catches what it is there for: these
 * exchanges are made up, each wrong in one way the document forbids, beside right ones.
 */
const street = { streetId: 'st_1', name: '街道', createdAt: '2026-03-02T01:20:00.000Z' };
const json = { 'content-type': 'application/json; charset=utf-8' };
const problem = (status: number, code: string, extra: object = {}) =>
  JSON.stringify({ type: 'https://pioneer.example/problems/x', title: 't', status, detail: 'd', code, ...extra });
const x = (over: Partial<Exchange>): Exchange => ({
  method: 'POST',
  path: '/streets',
  requestHeaders: { 'content-type': 'application/json' },
  requestBody: JSON.stringify({ name: '街道' }),
  status: 201,
  headers: json,
  body: JSON.stringify(street),
  ...over,
});
const failuresOf = (...xs: Exchange[]) => conformance(xs).failures;

describe('the conformance check', () => {
  it('accepts what the document says', () => {
    const result = conformance([
      x({}),
      x({ headers: { ...json, 'idempotency-replayed': 'true' } }),
      x({
        status: 409,
        headers: { 'content-type': 'application/problem+json' },
        body: problem(409, 'CONCURRENT_UPDATE'),
      }),
      x({
        status: 401,
        headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
        body: '{"message":"Unauthorized"}',
      }),
      x({
        method: 'GET',
        path: '/stats/monthly.csv',
        query: 'month=2026-11&scope=district&id=jinjiang',
        requestBody: undefined,
        status: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="a.csv"' },
        body: '\uFEFFscope\r\n',
      }),
      x({ method: 'GET', path: '/nowhere', requestBody: undefined, status: 404, body: '{"message":"Not Found"}' }),
      x({ method: 'POST', path: '/_local/jobs/kickoff', status: 200 }),
    ]);
    expect(result.failures).toEqual([]);
    expect(result.checked).toBe(5);
    expect(result.seen).toContain('createStreet 409 CONCURRENT_UPDATE');
  });

  it('finds an undocumented status, media type, field, code or header', () => {
    expect(failuresOf(x({ status: 200 }))).toEqual([expect.stringContaining('status 200 is not documented')]);
    expect(failuresOf(x({ headers: { 'content-type': 'text/plain' } }))).toEqual([
      expect.stringContaining('media type text/plain is not documented'),
    ]);
    expect(failuresOf(x({ body: JSON.stringify({ ...street, phone: '13912345678' }) }))).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
    expect(failuresOf(x({ body: JSON.stringify({ ...street, createdAt: 'yesterday' }) }))).toContainEqual(
      expect.stringContaining('/createdAt must match format "date-time"'),
    );
    expect(
      failuresOf(
        x({
          status: 409,
          headers: { 'content-type': 'application/problem+json' },
          body: problem(409, 'WISH_ALREADY_CLAIMED'),
        }),
      ),
    ).toEqual([expect.stringContaining('must be equal to one of the allowed values')]);
    expect(
      failuresOf(
        x({ status: 401, headers: { 'content-type': 'application/problem+json' }, body: '{"message":"Unauthorized"}' }),
      ),
    ).not.toEqual([]);
    expect(
      failuresOf(
        x({
          method: 'GET',
          path: '/streets',
          requestBody: undefined,
          status: 200,
          headers: { ...json, 'idempotency-replayed': 'true' },
          body: '{"items":[]}',
        }),
      ),
    ).toEqual([expect.stringContaining('header idempotency-replayed is sent but not documented')]);
    expect(
      failuresOf(
        x({
          method: 'GET',
          path: '/stats/monthly.csv',
          query: 'month=2026-11&scope=district&id=jinjiang',
          requestBody: undefined,
          status: 200,
          headers: { 'content-type': 'text/csv' },
          body: 'a',
        }),
      ),
    ).toEqual([expect.stringContaining('required header content-disposition is missing')]);
    expect(failuresOf(x({ method: 'PUT', path: '/somewhere', status: 200 }))).toEqual([
      expect.stringContaining('no route of the document matches'),
    ]);
  });

  it('finds a request the API accepted that the document refuses, and a refusal the document does not explain', () => {
    expect(failuresOf(x({ requestBody: JSON.stringify({ name: '街道', extra: 1 }) }))).toEqual([
      expect.stringContaining('the API accepted a request the document refuses'),
    ]);
    const refused = (path: string, query: string, field: string) =>
      x({
        method: 'GET',
        path,
        query,
        requestBody: undefined,
        status: 400,
        headers: { 'content-type': 'application/problem+json' },
        body: problem(400, 'VALIDATION_FAILED', { errors: [{ field, message: 'm' }] }),
      });
    // The document states this rule in words (x-pioneer-rules): explained.
    expect(failuresOf(refused('/activities', 'teamId=t&communityId=c', 'query.communityId'))).toEqual([]);
    // No rule names query.order: the document accepts what the API refused.
    expect(failuresOf(refused('/activities', 'order=asc', 'query.order'))).toEqual([
      expect.stringContaining('refused as invalid (query.order) a request the document accepts'),
    ]);
  });
});
