import { describe, expect, it } from 'vitest';
import { setLogSink } from '../../shared/http/logger.ts';
import { mint, uniq, useE2e } from '../support/e2e.ts';

/** Structured logs: one JSON object a line, with the request id, and never personal data. */
const { api } = useE2e();

describe('logs', () => {
  it('carry the request id and no phone or ID number, even when a request fails', async () => {
    const lines: string[] = [];
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'debug';
    const restore = setLogSink((l) => lines.push(l));
    try {
      const token = await mint.member(uniq('m'));
      expect(
        (await api.post('/members', token, { name: '赵六', phone: '13698765432', idNumber: '11010519491231002X' }))
          .status,
      ).toBe(201);
      expect((await api.post('/members', token, { name: '赵六', phone: '13698765432' })).status).toBe(409);
      expect((await api.post('/members', token, { name: '赵六', phone: '1369876543x' })).status).toBe(400);
      expect((await api.patch('/members/me', token, { phone: '13511112222' })).status).toBe(200);
    } finally {
      restore();
      process.env.LOG_LEVEL = level;
    }
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const p of parsed.filter((x) => x.msg === 'request')) {
      expect(p.requestId).toEqual(expect.any(String));
      expect(p.routeKey).toEqual(expect.any(String));
      expect(p.status).toEqual(expect.any(Number));
    }
    const all = lines.join('\n');
    for (const secret of ['13698765432', '1369876543', '11010519491231002X', '13511112222', '赵六'])
      expect(all).not.toContain(secret);
  });
});
