import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionSpecs } from '../../infra/catalog.ts';
import { localBus } from '../../infra/local/city-bus.ts';
import {
  AsyncInvocationFailed,
  failureList,
  invokeAsync,
  rerunFailure,
  setFailureList,
  type FailedInvocation,
} from '../../infra/local/failures.ts';
import { startLocalServer, type LocalServer } from '../../infra/local/server.ts';
import type { ScheduleEntry } from '../../shared/config/schedules.ts';
import { api } from '../support/server.ts';

/**
 * The local counterpart of the stacks' failure queues: an asynchronous invocation (a job fired
 * by the scheduler, an event delivered by the city bus) that fails three times is kept with its
 * event; the list is printed, served at /_local/failures, kept on disk, and each entry can be run
 * again with the same event (a success removes it). Against a test job that fails on demand.
 */
const SUPPORT_DIR = fileURLToPath(new URL('../support/', import.meta.url));
const FLAKY = 'flaky-job';
const JOB: ScheduleEntry = {
  name: 'flaky',
  description: 'test job that fails on demand',
  cron: 'cron(0 3 * * ? *)',
  timeZone: 'Asia/Shanghai',
  function: FLAKY,
  access: 'RO',
};
const functions = functionSpecs('district', { routes: [], schedules: [JOB], declared: { [FLAKY]: {} } });
const flaky = ((globalThis as { pioneerFlaky?: { fail: boolean; calls: number } }).pioneerFlaky ??= {
  fail: false,
  calls: 0,
});
const load = { dir: SUPPORT_DIR, functions };
const event = (scheduledTime: string) => ({ job: JOB.name, scheduledTime, executionId: 'e-1', args: {} });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pioneer-failures-'));
});
afterAll(() => {
  setFailureList(undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('a failed asynchronous invocation', () => {
  it('is tried three times, as Lambda does, then kept with its event; a success keeps nothing', async () => {
    const list = failureList();
    flaky.fail = false;
    flaky.calls = 0;
    expect(
      await invokeAsync(FLAKY, event('2026-11-01T02:00:00.000Z'), { source: 'scheduler', what: JOB.name, list }, load),
    ).toMatchObject({ ok: true });
    expect(flaky.calls).toBe(1);
    expect(list.list()).toEqual([]);

    flaky.fail = true;
    flaky.calls = 0;
    const failed = invokeAsync(
      FLAKY,
      event('2026-12-01T02:00:00.000Z'),
      { source: 'scheduler', what: JOB.name, list },
      load,
    );
    await expect(failed).rejects.toBeInstanceOf(AsyncInvocationFailed);
    await expect(failed).rejects.toThrow(
      /failing on purpose \(failed 3 times; kept as [0-9a-f]{8}: npm run job -- --rerun [0-9a-f]{8}\)/,
    );
    expect(flaky.calls).toBe(3);
    const [kept] = list.list();
    expect(kept).toMatchObject({
      function: FLAKY,
      source: 'scheduler',
      what: 'flaky',
      attempts: 3,
      error: 'flaky-job: flaky failing on purpose',
      event: event('2026-12-01T02:00:00.000Z'),
    });
  });

  it('runs again with the same event: a failure keeps it (one attempt more), a success removes it', async () => {
    const file = path.join(dir, 'failed.json');
    const list = failureList({ file });
    flaky.fail = true;
    await invokeAsync(
      FLAKY,
      event('2026-12-01T02:00:00.000Z'),
      { source: 'scheduler', what: JOB.name, list },
      load,
    ).catch(() => undefined);
    const [kept] = list.list() as [FailedInvocation];
    // Kept on disk: a platform started again still has it.
    expect(failureList({ file }).get(kept.id)).toEqual(kept);

    await expect(rerunFailure(list, kept.id, load)).rejects.toThrow(/failing on purpose/);
    expect(list.get(kept.id)).toMatchObject({ attempts: 4 });

    flaky.fail = false;
    // The event it failed with, unchanged: the job does what it was scheduled to do.
    expect(await rerunFailure(list, kept.id, load)).toEqual({
      ok: true,
      job: 'flaky',
      scheduledTime: '2026-12-01T02:00:00.000Z',
    });
    expect(list.list()).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
    await expect(rerunFailure(list, kept.id, load)).rejects.toThrow(`no failed invocation ${kept.id}`);
  });

  it('of the city bus is kept too, with the envelope EventBridge delivered', async () => {
    const list = failureList();
    setFailureList(list);
    try {
      flaky.fail = true;
      const bus = localBus({
        functionsDir: SUPPORT_DIR,
        functions,
        rules: [{ source: 'pioneer.district', detailType: 'MonthlyRollupFrozen', function: FLAKY }],
      });
      await bus.publish('MonthlyRollupFrozen', { district: 'jinjiang', month: '2026-11' });
      const [kept] = list.list();
      expect(kept).toMatchObject({ source: 'city-bus', what: 'MonthlyRollupFrozen', function: FLAKY, attempts: 3 });
      expect(kept!.event).toMatchObject({
        source: 'pioneer.district',
        'detail-type': 'MonthlyRollupFrozen',
        detail: { month: '2026-11' },
      });
    } finally {
      setFailureList(undefined);
    }
  });
});

describe('the local routes', () => {
  let server: LocalServer;
  const list = failureList();
  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      quiet: true,
      routes: [],
      schedules: [JOB],
      functionsDir: SUPPORT_DIR,
      functions,
      failures: list,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('GET /_local/failures lists them; POST /_local/failures/{id}/rerun runs one again', async () => {
    flaky.fail = true;
    await invokeAsync(
      FLAKY,
      event('2026-12-01T02:00:00.000Z'),
      { source: 'scheduler', what: JOB.name, list },
      load,
    ).catch(() => undefined);
    const call = api(server.url);
    const listed = await call.get('/_local/failures');
    expect(listed.status).toBe(200);
    expect(listed.json).toHaveLength(1);
    const id = listed.json[0].id as string;

    const again = await call.post(`/_local/failures/${id}/rerun`);
    expect(again.status).toBe(500);
    expect(again.json).toMatchObject({ rerun: id, removed: false });
    flaky.fail = false;
    const ok = await call.post(`/_local/failures/${id}/rerun`);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ rerun: id, removed: true, result: { ok: true } });
    expect((await call.get('/_local/failures')).json).toEqual([]);
    expect((await call.post('/_local/failures/nope/rerun')).status).toBe(404);
  });
});
