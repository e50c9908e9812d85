import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDynamoLayer, type DynamoLayer } from '../../infra/local/dynamo-layer.ts';
import { client, tokenFor, uniq } from '../support/client.ts';
import { allItems } from '../support/inspect.ts';
import { dynamoLocalEndpoint, useFreshTable } from '../support/table.ts';

/**
 * Fault injection with real processes: the API runs in a process of its own (test/support/
 * api-process.ts) against DynamoDB through a layer of this file's own, which kills that process,
 * or takes the database away, right after DynamoDB committed a request's write and before the
 * answer reached anyone. A retry with the same Idempotency-Key (to a new process, as the next
 * Lambda would take it) gets the original status and body; afterwards the table holds exactly one
 * of everything the request makes.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let table: string;
let layer: DynamoLayer;
let proc: { child: ChildProcess; url: string } | undefined;
const api = client(() => proc!.url);

function startApi(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // One process (node with tsx's loader), not tsx's CLI, which runs the script in a child of its own.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/api-process.ts'], {
      cwd: ROOT,
      env: { ...process.env, TABLE_NAME: table, DYNAMODB_ENDPOINT: layer.endpoint, PIONEER_SILENT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /PIONEER_API (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.once('exit', (code) => reject(new Error(`the API process exited (${code}): ${err}`)));
  });
}

const exited = (c: ChildProcess): Promise<unknown> =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r));

/** The API process dies (SIGKILL) right after DynamoDB commits the next write that completes a key. */
function killAfterCommit(): void {
  const victim = proc!.child;
  layer.inject({
    ops: ['TransactWriteItems'],
    match: (b) => JSON.stringify(b).includes('IDEMP#'),
    action: 'lose-response',
    // Dead before anyone can hear back: not even the SDK's own retry of the call gets through.
    afterCommit: async () => {
      victim.kill('SIGKILL');
      await exited(victim);
    },
  });
}

/** Sends a request that will never be answered (its process dies): the error fetch reports. */
const lost = (p: Promise<unknown>) =>
  p.then(
    (r) => ({ answered: r }),
    (e: Error) => ({ failed: e.message }),
  );

const ofType = async (type: string, where: (i: Record<string, unknown>) => boolean = () => true) =>
  (await allItems(table)).filter((i) => i.type === type && where(i));

let admin: string;
let communityId: string;

beforeAll(async () => {
  table = await useFreshTable();
  layer = await startDynamoLayer({ target: dynamoLocalEndpoint() });
  proc = await startApi();
  admin = await tokenFor({ role: 'district_admin' });
  const street = await api.post('/streets', admin, { name: '春熙路街道' });
  const community = await api.post('/communities', admin, { name: '红星社区', streetId: street.body.streetId });
  communityId = community.body.communityId;
}, 60_000);

beforeEach(() => layer.clearFaults());

afterAll(async () => {
  proc?.child.kill('SIGKILL');
  await layer.close();
});

describe('a retry after the process died between the write and the answer', () => {
  it('a wish: the retry gets 201 with the wish, and there is one wish, one event, one count', async () => {
    const resident = await tokenFor({ role: 'resident', sub: uniq('res') });
    const body = {
      title: '帮忙买菜',
      description: '腿脚不便',
      category: 'elderly-care',
      skillsWanted: [],
      communityId,
      contactName: '王阿姨',
      contactPhone: '13812345678',
    };
    const key = { 'idempotency-key': uniq('wish-key') };
    const dying = proc!.child;
    killAfterCommit();
    const first = await lost(api.post('/wishes', resident, body, key));
    expect(first).toHaveProperty('failed');
    await exited(dying);
    proc = await startApi();

    const retry = await api.post('/wishes', resident, body, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    const wishes = await ofType('wish', (i) => i.communityId === communityId && i.title === '帮忙买菜');
    expect(wishes).toHaveLength(1);
    expect(retry.body.wishId).toBe(wishes[0]!.wishId);
    expect(retry.body.status).toBe('pending_review');
    expect(await ofType('wish-event', (i) => i.wishId === wishes[0]!.wishId)).toHaveLength(1);
    // Counters carry no type: read them by key.
    const community = (await allItems(table)).filter((i) => String(i.pk) === `STATS#community#${communityId}`);
    expect(community.reduce((n, i) => n + Number(i.wishesPosted ?? 0), 0)).toBe(1);
    // And again: the same answer, byte for byte.
    const again = await api.post('/wishes', resident, body, key);
    expect(again.text).toBe(retry.text);
  });

  it('a check-in: the retry gets its 201 and the check-in id, not CHECKIN_ALREADY_PENDING', async () => {
    const memberId = uniq('m');
    const member = await tokenFor({ role: 'member', memberId });
    expect((await api.post('/members', member, { name: '李雷', phone: '13912345678' })).status).toBe(201);
    const key = { 'idempotency-key': uniq('ci-key') };
    const dying = proc!.child;
    killAfterCommit();
    expect(await lost(api.post('/check-ins', member, { communityId }, key))).toHaveProperty('failed');
    await exited(dying);
    proc = await startApi();

    const retry = await api.post('/check-ins', member, { communityId }, key);
    expect(retry.status).toBe(201);
    const stored = await ofType('check-in', (i) => i.memberId === memberId);
    expect(stored).toHaveLength(1);
    expect(retry.body).toMatchObject({ checkInId: stored[0]!.checkInId, status: 'pending' });
    expect(await ofType('check-in-lock', (i) => i.checkInId === stored[0]!.checkInId)).toHaveLength(1);
  });
});

describe('a retry after the database died between the write and the answer', () => {
  it('the first attempt gets 503 with Retry-After; the retry, once the database is back, the original 201', async () => {
    const memberId = uniq('m');
    const member = await tokenFor({ role: 'member', memberId });
    const key = { 'idempotency-key': uniq('member-key') };
    const body = { name: '韩梅梅', phone: '13912345679' };
    layer.inject({
      ops: ['TransactWriteItems'],
      match: (b) => JSON.stringify(b).includes('IDEMP#'),
      action: 'lose-response',
      afterCommit: () => layer.setDown(true),
    });
    const first = await api.post('/members', member, body, key);
    layer.setDown(false);
    expect(first.status).toBe(503);
    expect(first.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(first.body.code).toBe('UNAVAILABLE');

    const retry = await api.post('/members', member, body, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.body).toMatchObject({ memberId, name: '韩梅梅' });
    expect(await ofType('member', (i) => i.memberId === memberId)).toHaveLength(1);
  });
});

describe('a retry while the first attempt still runs', () => {
  it('waits no longer than the first attempt: both get the same 201, one object is made', async () => {
    const body = { name: `${uniq('street')}街道` };
    const key = { 'idempotency-key': uniq('street-key') };
    // The first attempt's write takes 1.5 s; the retry comes 200 ms after it.
    layer.inject({
      ops: ['TransactWriteItems'],
      match: (b) => JSON.stringify(b).includes('IDEMP#'),
      action: 'delay',
      ms: 1500,
    });
    const t0 = Date.now();
    const first = api.post('/streets', admin, body, key);
    await new Promise((r) => setTimeout(r, 200));
    const second = await api.post('/streets', admin, body, key);
    const one = await first;
    expect([one.status, second.status]).toEqual([201, 201]);
    expect(second.text).toBe(one.text);
    expect([one, second].filter((r) => r.headers.get('idempotency-replayed') === 'true')).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(await ofType('street', (i) => i.name === body.name)).toHaveLength(1);
  });
});
