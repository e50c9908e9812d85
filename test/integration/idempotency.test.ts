import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.ts';
import { tableName } from '../../shared/db/client.ts';
import { committing, readKey } from '../../shared/db/idempotency.ts';
import { queryAll, transact } from '../../shared/db/table.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import { createLogger, setLogSink } from '../../shared/http/logger.ts';
import { codeOf, who } from '../support/callers.ts';
import { useFreshTable } from '../support/table.ts';

/**
 * Idempotency-Key (shared/http/idempotency.ts) against DynamoDB Local: the key is completed by the
 * request's own write (committing + transact, shared/db/idempotency.ts). What runs, what is
 * written (counted in the table, not in calls: a retry runs until its write is refused), what a
 * replay returns, what frees a key. The HTTP flows use it through the stack; here every rule of its own.
 */
beforeAll(async () => {
  await useFreshTable();
});

let n = 0;
const newKey = () => `key-${Date.now()}-${++n}`;
const caller = who('member', { sub: 'idem-user' });
type Rendered = { statusCode?: number; headers?: Record<string, string | number | boolean>; body?: string };
const created = (answer: unknown): Rendered => ({
  statusCode: 201,
  headers: { 'x-a': 'b', 'x-count': 5 },
  body: JSON.stringify(answer),
});
const req = (key: string | undefined, body: unknown = { name: 'a' }, over: object = {}) => ({
  key,
  caller,
  routeKey: 'POST /streets',
  path: '/streets',
  body,
  render: created as (answer: unknown) => { statusCode?: number; body?: string },
  ...over,
});

/**
 * A route as the services write them: its answer, then its one write (an item of its own
 * partition, so that the test counts what was made), then its response. `run.attempts` counts
 * the runs; `run.made()` the items its writes made.
 */
function route(render: (answer: unknown) => Rendered = created) {
  const partition = `IDEMTEST#${++n}`;
  const run = async () => {
    const attempt = ++run.attempts;
    const answer = { n: attempt };
    await committing(answer, () =>
      transact(
        [{ Put: { TableName: tableName(), Item: { pk: partition, sk: String(attempt), type: 'idem-test' } } }],
        () => new Error('no condition here'),
      ),
    );
    return render(answer) as { statusCode?: number; body?: string };
  };
  run.attempts = 0;
  run.made = async () => (await queryAll({ partition })).length;
  return run;
}

describe('Idempotency-Key', () => {
  it('without a key, or without a caller, every request runs and writes', async () => {
    const run = route();
    await withIdempotency(req(undefined), run);
    await withIdempotency(req(undefined), run);
    const key = newKey();
    await withIdempotency({ ...req(key), caller: undefined }, run);
    await withIdempotency({ ...req(key), caller: undefined }, run);
    expect(await run.made()).toBe(4);
    expect(await readKey(caller.sub, key)).toBeUndefined();
  });

  it('a key of 8 to 128 of A-Za-z0-9_.:- only', async () => {
    const run = route();
    for (const bad of ['1234567', 'x'.repeat(129), 'has space', 'slash/1234', 'ünïcode12'])
      expect(await codeOf(withIdempotency(req(bad), run)), bad).toBe('BAD_IDEMPOTENCY_KEY');
    expect(run.attempts).toBe(0);
    for (const good of [`A.b:c_d-${n++}`, `${'y'.repeat(120)}${String(++n).padStart(8, '0')}`])
      expect(await codeOf(withIdempotency(req(good), run)), good).toBe('ok');
    expect(await run.made()).toBe(2);
  });

  it('the response is the one stored with the key; a replay returns it, marked replayed, and writes nothing', async () => {
    const key = newKey();
    const run = route();
    const first = await withIdempotency(req(key), run);
    expect(first).toEqual({ statusCode: 201, headers: { 'x-a': 'b', 'x-count': '5' }, body: '{"n":1}' });
    const again = await withIdempotency(req(key), run);
    expect(again).toEqual({
      statusCode: 201,
      headers: { 'x-a': 'b', 'x-count': '5', 'idempotency-replayed': 'true' },
      body: '{"n":1}',
    });
    expect(await run.made()).toBe(1);
    expect((await readKey(caller.sub, key))?.response).toEqual(first);
  });

  it('the same body in another key order is the same request; nested too', async () => {
    const key = newKey();
    const run = route();
    await withIdempotency(req(key, { b: 1, a: { y: [1, { q: 1, p: 2 }], x: null } }), run);
    const again = await withIdempotency(req(key, { a: { x: null, y: [1, { p: 2, q: 1 }] }, b: 1 }), run);
    expect(again.headers?.['idempotency-replayed']).toBe('true');
    expect(await run.made()).toBe(1);
  });

  it('another body, path, route or array order under the same key is 422 and writes nothing', async () => {
    const key = newKey();
    const run = route();
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
    expect(await run.made()).toBe(1);
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
      const run = route();
      await withIdempotency(req(key, first), run);
      expect(await codeOf(withIdempotency(req(key, second), run)), JSON.stringify([first, second])).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await run.made()).toBe(1);
    }
  });

  it('says what is wrong with a key and with a reuse', async () => {
    const details: string[] = [];
    const capture = async (p: Promise<unknown>) =>
      p.catch((e: { detail: string }) => {
        details.push(e.detail);
      });
    await capture(withIdempotency(req('short'), route()));
    const key = newKey();
    await withIdempotency(req(key), route());
    await capture(withIdempotency(req(key, { other: true }), route()));
    expect(details).toEqual([
      'use 8 to 128 characters: letters, digits, and _ . : -',
      'this key was already used for a different request',
    ]);
  });

  it('no body and a null body are the same request', async () => {
    const key = newKey();
    const run = route();
    await withIdempotency({ ...req(key), body: undefined }, run);
    expect((await withIdempotency(req(key, null), run)).headers?.['idempotency-replayed']).toBe('true');
    expect(await run.made()).toBe(1);
  });

  it('keys belong to their caller: another caller with the same key writes', async () => {
    const key = newKey();
    const run = route();
    await withIdempotency(req(key), run);
    const other = await withIdempotency({ ...req(key), caller: who('member', { sub: 'someone-else' }) }, run);
    expect(other.headers?.['idempotency-replayed']).toBeUndefined();
    expect(await run.made()).toBe(2);
  });

  it('two at once with one key: exactly one writes, both answer its response', async () => {
    const key = newKey();
    const run = route();
    const answers = await Promise.all([withIdempotency(req(key), run), withIdempotency(req(key), run)]);
    expect(await run.made()).toBe(1);
    expect(answers[0]!.body).toBe(answers[1]!.body);
    expect(answers.filter((a) => a.headers?.['idempotency-replayed'] === 'true').length).toBe(1);
  });

  it('a request that fails before its write frees its key: the retry writes', async () => {
    const key = newKey();
    await expect(
      withIdempotency(req(key), async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      withIdempotency(req(key), async () => {
        throw new DomainError('NOT_FOUND', 'no such thing');
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const run = route();
    expect((await withIdempotency(req(key), run)).statusCode).toBe(201);
    expect(await run.made()).toBe(1);
  });

  it('a route that answers without writing stores nothing: its answer as it made it, and the retry runs', async () => {
    const key = newKey();
    let runs = 0;
    const run = async () => ({ statusCode: 200, headers: { 'x-n': String(++runs) }, body: 'read' });
    expect(await withIdempotency(req(key), run)).toEqual({ statusCode: 200, headers: { 'x-n': '1' }, body: 'read' });
    expect(await withIdempotency(req(key), run)).toEqual({ statusCode: 200, headers: { 'x-n': '2' }, body: 'read' });
    expect(await readKey(caller.sub, key)).toBeUndefined();
  });

  it('fails after its write committed: the stored response is the answer, and the error is logged', async () => {
    const lines: string[] = [];
    const restore = setLogSink((l) => lines.push(l));
    const silent = process.env.PIONEER_SILENT;
    delete process.env.PIONEER_SILENT;
    try {
      const key = newKey();
      const run = route();
      const crashing = async () => {
        await run();
        throw new Error('after the write');
      };
      const log = createLogger();
      const first = await withIdempotency({ ...req(key), log }, crashing);
      expect(first).toEqual({ statusCode: 201, headers: { 'x-a': 'b', 'x-count': '5' }, body: '{"n":1}' });
      expect(lines.map((l) => JSON.parse(l))).toMatchObject([
        { level: 'error', msg: 'idempotent route failed after its write', routeKey: 'POST /streets' },
      ]);
      expect((await withIdempotency(req(key), run)).headers?.['idempotency-replayed']).toBe('true');
      expect(await run.made()).toBe(1);
      // Without a logger (a caller that passes none), the same answer.
      const quiet = route();
      const crashingQuietly = async () => {
        await quiet();
        throw new Error('after the write');
      };
      expect((await withIdempotency(req(newKey()), crashingQuietly)).body).toBe('{"n":1}');
    } finally {
      restore();
      if (silent !== undefined) process.env.PIONEER_SILENT = silent;
    }
  });

  it('a retry refused before its write by what the first attempt wrote replays that attempt', async () => {
    const key = newKey();
    const run = route();
    await withIdempotency(req(key), run);
    // As a check-in retried: CHECKIN_ALREADY_PENDING, because its first attempt made the pending one.
    const refused = async () => {
      throw new DomainError('CHECKIN_ALREADY_PENDING', 'already there');
    };
    expect(await withIdempotency(req(key), refused)).toEqual({
      statusCode: 201,
      headers: { 'x-a': 'b', 'x-count': '5', 'idempotency-replayed': 'true' },
      body: '{"n":1}',
    });
    // With another body it is the reuse, not the replay.
    expect(await codeOf(withIdempotency(req(key, { other: 1 }), refused))).toBe('IDEMPOTENCY_KEY_REUSED');
    // An unavailable database, or an error that is not the domain's, is the answer as it is.
    const unavailable = async () => {
      throw new DomainError('UNAVAILABLE', 'the database is away');
    };
    expect(await codeOf(withIdempotency(req(key), unavailable))).toBe('UNAVAILABLE');
    const broken = async () => {
      throw new TypeError('a bug');
    };
    await expect(withIdempotency(req(key), broken)).rejects.toThrow('a bug');
    // Without a stored response, the refusal is the answer.
    expect(await codeOf(withIdempotency(req(newKey()), refused))).toBe('CHECKIN_ALREADY_PENDING');
  });

  it('a route whose answer differs from what it committed: the committed one is returned, and logged', async () => {
    const lines: string[] = [];
    const restore = setLogSink((l) => lines.push(l));
    const silent = process.env.PIONEER_SILENT;
    delete process.env.PIONEER_SILENT;
    try {
      const log = createLogger();
      for (const [differs, over] of [
        [true, { body: '{"n":"other"}' }],
        [true, { statusCode: 200 }],
        [false, {}],
      ] as const) {
        lines.length = 0;
        const run = route();
        const other = async () => ({ ...(await run()), ...over });
        const out = await withIdempotency({ ...req(newKey()), log }, other);
        expect(out).toEqual({ statusCode: 201, headers: { 'x-a': 'b', 'x-count': '5' }, body: '{"n":1}' });
        expect(lines.map((l) => JSON.parse(l))).toEqual(
          differs
            ? [
                expect.objectContaining({
                  msg: 'idempotent route answered other than it committed',
                  routeKey: 'POST /streets',
                }),
              ]
            : [],
        );
      }
      // Without a logger (a caller that passes none), the committed answer all the same.
      const run = route();
      const other = async () => ({ ...(await run()), body: '{"n":"other"}' });
      expect(await withIdempotency(req(newKey()), other)).toEqual({
        statusCode: 201,
        headers: { 'x-a': 'b', 'x-count': '5' },
        body: '{"n":1}',
      });
    } finally {
      restore();
      if (silent !== undefined) process.env.PIONEER_SILENT = silent;
    }
  });

  it('a rendering without status, headers or body is stored as 200, no headers, empty body', async () => {
    const lines: string[] = [];
    const restore = setLogSink((l) => lines.push(l));
    const silent = process.env.PIONEER_SILENT;
    delete process.env.PIONEER_SILENT;
    try {
      const key = newKey();
      const run = route(() => ({ statusCode: 200 }));
      const bare = { ...req(key), render: () => ({}), log: createLogger() };
      expect(await withIdempotency(bare, run)).toEqual({ statusCode: 200, headers: {}, body: '' });
      // The route's own answer had no body either: the same as what it committed, nothing logged.
      expect(lines).toEqual([]);
      expect(await withIdempotency(bare, run)).toEqual({
        statusCode: 200,
        headers: { 'idempotency-replayed': 'true' },
        body: '',
      });
      expect(await run.made()).toBe(1);
    } finally {
      restore();
      if (silent !== undefined) process.env.PIONEER_SILENT = silent;
    }
  });

  it('a route that writes without saying its answer first is a bug, refused before it writes', async () => {
    const key = newKey();
    const partition = `IDEMTEST#${++n}`;
    const careless = async () => {
      await transact(
        [{ Put: { TableName: tableName(), Item: { pk: partition, sk: '1', type: 'idem-test' } } }],
        () => new Error('no condition here'),
      );
      return { statusCode: 201, body: '{}' };
    };
    await expect(withIdempotency(req(key), careless)).rejects.toThrow(/without committing/);
    expect(await queryAll({ partition })).toEqual([]);
  });
});
