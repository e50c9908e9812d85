import { beforeAll, describe, expect, it } from 'vitest';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import { codeOf, who } from '../support/callers.ts';
import { useFreshTable } from '../support/table.ts';

/**
 * Idempotency-Key (shared/http/idempotency.ts) against DynamoDB Local: what runs, what is kept,
 * what a replay returns, what frees a key. The HTTP flows use it through the stack; here every
 * rule of its own, with a counted run.
 */
beforeAll(async () => {
  await useFreshTable();
});

let n = 0;
const newKey = () => `key-${Date.now()}-${++n}`;
const caller = who('member', { sub: 'idem-user' });
const req = (key: string | undefined, body: unknown = { name: 'a' }, over: object = {}) => ({
  key,
  caller,
  routeKey: 'POST /streets',
  path: '/streets',
  body,
  ...over,
});

/** A run that counts its calls and answers `status`. */
function counted(status: number | undefined = 201, headers: Record<string, string | number> = { 'x-a': 'b' }) {
  const run = async () => {
    run.calls++;
    return {
      ...(status === undefined ? {} : { statusCode: status }),
      headers: headers as Record<string, string>,
      body: JSON.stringify({ n: run.calls }),
    };
  };
  run.calls = 0;
  return run;
}

describe('Idempotency-Key', () => {
  it('without a key, or without a caller, every request runs', async () => {
    const run = counted();
    await withIdempotency(req(undefined), run);
    await withIdempotency(req(undefined), run);
    const key = newKey();
    await withIdempotency({ ...req(key), caller: undefined }, run);
    await withIdempotency({ ...req(key), caller: undefined }, run);
    expect(run.calls).toBe(4);
  });

  it('a key of 8 to 128 of A-Za-z0-9_.:- only', async () => {
    const run = counted();
    for (const bad of ['1234567', 'x'.repeat(129), 'has space', 'slash/1234', 'ünïcode12'])
      expect(await codeOf(withIdempotency(req(bad), run)), bad).toBe('BAD_IDEMPOTENCY_KEY');
    expect(run.calls).toBe(0);
    for (const good of [`A.b:c_d-${n++}`, `${'y'.repeat(120)}${String(++n).padStart(8, '0')}`])
      expect(await codeOf(withIdempotency(req(good), run)), good).toBe('ok');
    expect(run.calls).toBe(2);
  });

  it('a replay returns the first 2xx response, marked replayed, and does not run again', async () => {
    const key = newKey();
    const run = counted(201, { 'x-a': 'b', 'x-count': 5 });
    const first = await withIdempotency(req(key), run);
    expect(first).toEqual({ statusCode: 201, headers: { 'x-a': 'b', 'x-count': 5 }, body: '{"n":1}' });
    const again = await withIdempotency(req(key), run);
    expect(again).toEqual({
      statusCode: 201,
      headers: { 'x-a': 'b', 'x-count': '5', 'idempotency-replayed': 'true' },
      body: '{"n":1}',
    });
    expect(run.calls).toBe(1);
  });

  it('the same body in another key order is the same request; nested too', async () => {
    const key = newKey();
    const run = counted();
    await withIdempotency(req(key, { b: 1, a: { y: [1, { q: 1, p: 2 }], x: null } }), run);
    const again = await withIdempotency(req(key, { a: { x: null, y: [1, { p: 2, q: 1 }] }, b: 1 }), run);
    expect(again.headers?.['idempotency-replayed']).toBe('true');
    expect(run.calls).toBe(1);
  });

  it('another body, path, route or array order under the same key is 422 and runs nothing', async () => {
    const key = newKey();
    const run = counted();
    await withIdempotency(req(key, { list: [1, 2], name: 'a' }), run);
    for (const other of [
      req(key, { list: [2, 1], name: 'a' }),
      req(key, { list: [1, 2], name: 'b' }),
      req(key, { list: [1, 2], name: 'a', extra: true }),
      req(key, { list: [1, 2] }),
      req(key, { list: [1, 2], name: 'a' }, { path: '/streets/x' }),
      req(key, { list: [1, 2], name: 'a' }, { routeKey: 'POST /communities' }),
      req(key, null),
      req(key, '{"list":[1,2],"name":"a"}'),
    ])
      expect(await codeOf(withIdempotency(other, run))).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(run.calls).toBe(1);
  });

  it('bodies that only look alike are different requests', async () => {
    for (const [first, second] of [
      [1, 2],
      ['a', 'b'],
      [[], {}],
      [
        [1, 23],
        [12, 3],
      ],
      [{ a: 1 }, { a: '1' }],
      [{ a: [1] }, { a: { 0: 1 } }],
    ]) {
      const key = newKey();
      const run = counted();
      await withIdempotency(req(key, first), run);
      expect(await codeOf(withIdempotency(req(key, second), run)), JSON.stringify([first, second])).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(run.calls).toBe(1);
    }
  });

  it('says what is wrong with a key, a reuse and a request still running', async () => {
    const details: string[] = [];
    const capture = async (p: Promise<unknown>) =>
      p.catch((e: { detail: string }) => {
        details.push(e.detail);
      });
    await capture(withIdempotency(req('short'), counted()));
    const key = newKey();
    await withIdempotency(req(key), counted());
    await capture(withIdempotency(req(key, { other: true }), counted()));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const running = newKey();
    const first = withIdempotency(req(running), async () => {
      await gate;
      return { statusCode: 201, body: '{}' };
    });
    await new Promise((r) => setTimeout(r, 200));
    await capture(withIdempotency(req(running), counted()));
    release();
    await first;
    expect(details).toEqual([
      'use 8 to 128 characters: letters, digits, and _ . : -',
      'this key was already used for a different request',
      'the first request with this key has not finished; retry shortly',
    ]);
  });

  it('no body and a null body are the same request', async () => {
    const key = newKey();
    const run = counted();
    await withIdempotency({ ...req(key), body: undefined }, run);
    expect((await withIdempotency(req(key, null), run)).headers?.['idempotency-replayed']).toBe('true');
    expect(run.calls).toBe(1);
  });

  it('keys belong to their caller: another caller with the same key runs', async () => {
    const key = newKey();
    const run = counted();
    await withIdempotency(req(key), run);
    const other = await withIdempotency({ ...req(key), caller: who('member', { sub: 'someone-else' }) }, run);
    expect(other.headers?.['idempotency-replayed']).toBeUndefined();
    expect(run.calls).toBe(2);
  });

  it('while the first still runs, a replay is 409', async () => {
    const key = newKey();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = withIdempotency(req(key), async () => {
      await gate;
      return { statusCode: 201, body: '{}' };
    });
    await new Promise((r) => setTimeout(r, 200));
    const run = counted();
    expect(await codeOf(withIdempotency(req(key), run))).toBe('IDEMPOTENCY_IN_PROGRESS');
    release();
    await first;
    expect((await withIdempotency(req(key), run)).headers?.['idempotency-replayed']).toBe('true');
    expect(run.calls).toBe(0);
  });

  it('a request that throws frees its key: the retry runs', async () => {
    const key = newKey();
    await expect(
      withIdempotency(req(key), async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const run = counted();
    expect((await withIdempotency(req(key), run)).statusCode).toBe(201);
    expect(run.calls).toBe(1);
  });

  it('a request answered with an error status frees its key too; a 2xx one keeps it', async () => {
    for (const [status, runs] of [
      [409, 2],
      [199, 2],
      [300, 2],
      [200, 1],
      [299, 1],
    ] as const) {
      const key = newKey();
      const run = counted(status);
      await withIdempotency(req(key), run);
      const again = await withIdempotency(req(key), run);
      expect(run.calls, String(status)).toBe(runs);
      expect(again.statusCode).toBe(status);
    }
  });

  it('a response without a status is a 200 and is kept, an absent body and headers as empty', async () => {
    const key = newKey();
    let calls = 0;
    const run = async () => {
      calls++;
      return {};
    };
    expect(await withIdempotency(req(key), run)).toEqual({});
    expect(await withIdempotency(req(key), run)).toEqual({
      statusCode: 200,
      headers: { 'idempotency-replayed': 'true' },
      body: '',
    });
    expect(calls).toBe(1);
  });
});
