import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSpec, localDeployment, localEnvironment } from '../../infra/local/deployment.ts';
import { startDynamoLayer, type DynamoLayer } from '../../infra/local/dynamo-layer.ts';
import { LOCAL_REGION } from '../../infra/local/dynamo.ts';
import { encodeGrants } from '../../infra/local/grants.ts';
import { withEnvironment } from '../../infra/local/invoke.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { measureDb, stopMeasuringDb } from '../../shared/db/client.ts';
import { getItem, transact } from '../../shared/db/table.ts';
import { putIfAbsent } from '../../shared/db/writes.ts';
import { tableName } from '../../shared/config/env.ts';
import { dynamoLocalEndpoint, useFreshTable } from '../support/table.ts';

/**
 * The local DynamoDB layer (infra/local/dynamo-layer.ts) in front of DynamoDB Local: transaction
 * conflicts as AWS documents them, each function's grants, faults; and the database client's
 * answers to them (shared/db/client.ts): conflicts retried, an unavailable database a 503.
 * A layer of this file's own, whose transactions hold their items 400 ms, makes overlaps certain.
 */
let layer: DynamoLayer;
let table: string;
const HOLD_MS = 400;

/** A raw client that never retries, with the given credentials. */
function raw(credentials = { accessKeyId: 'local', secretAccessKey: 'local' } as Record<string, string>) {
  return new DynamoDBClient({
    endpoint: layer.endpoint,
    region: LOCAL_REGION,
    credentials: credentials as { accessKeyId: string; secretAccessKey: string },
    maxAttempts: 1,
  });
}
const S = (s: string) => ({ S: s });
const key = (pk: string) => ({ pk: S(pk), sk: S('X') });
const addOne = (pk: string) => ({
  Update: {
    TableName: table,
    Key: key(pk),
    UpdateExpression: 'ADD n :one',
    ExpressionAttributeValues: { ':one': { N: '1' } },
  },
});
/** The same, for the document client (shared/db). */
const docAddOne = (pk: string) => ({
  Update: {
    TableName: table,
    Key: { pk, sk: 'X' },
    UpdateExpression: 'ADD n :one',
    ExpressionAttributeValues: { ':one': 1 },
  },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorOf = async (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { name: string; CancellationReasons?: { Code: string }[] }) => e,
  );

beforeAll(async () => {
  table = await useFreshTable();
  // Transactions hold their items until answered and 400 ms more: overlaps are certain.
  layer = await startDynamoLayer({ target: dynamoLocalEndpoint(), lockMs: Number.POSITIVE_INFINITY, holdMs: HOLD_MS });
});
afterAll(async () => {
  await layer.close();
});

describe('transaction conflicts', () => {
  it('cancels a transaction touching an item a running transaction holds, with TransactionConflict for that item', async () => {
    const c = raw();
    const first = c.send(new TransactWriteItemsCommand({ TransactItems: [addOne('a1'), addOne('a2')] }));
    await sleep(100);
    const second = await errorOf(
      c.send(new TransactWriteItemsCommand({ TransactItems: [addOne('a3'), addOne('a2')] })),
    );
    await first;
    expect(second?.name).toBe('TransactionCanceledException');
    expect(second?.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'TransactionConflict']);
    // The winner wrote, the loser nothing; once the first is done, the same transaction passes.
    const n = async (pk: string) =>
      (await c.send(new GetItemCommand({ TableName: table, Key: key(pk), ConsistentRead: true }))).Item?.n?.N;
    expect([await n('a1'), await n('a2'), await n('a3')]).toEqual(['1', '1', undefined]);
    await c.send(new TransactWriteItemsCommand({ TransactItems: [addOne('a3'), addOne('a2')] }));
    expect([await n('a2'), await n('a3')]).toEqual(['2', '1']);
    c.destroy();
  });

  it('refuses a single-item write to an item inside a running transaction (TransactionConflictException)', async () => {
    const c = raw();
    const first = c.send(new TransactWriteItemsCommand({ TransactItems: [addOne('b1')] }));
    await sleep(100);
    const put = await errorOf(c.send(new PutItemCommand({ TableName: table, Item: { ...key('b1'), n: { N: '9' } } })));
    const update = await errorOf(c.send(new UpdateItemCommand({ ...addOne('b1').Update })));
    const elsewhere = await errorOf(c.send(new PutItemCommand({ TableName: table, Item: key('b2') })));
    await first;
    expect(put?.name).toBe('TransactionConflictException');
    expect(update?.name).toBe('TransactionConflictException');
    expect(elsewhere).toBeUndefined();
    // Reads are never blocked: they see the last committed value.
    const read = await c.send(new GetItemCommand({ TableName: table, Key: key('b1'), ConsistentRead: true }));
    expect(read.Item?.n?.N).toBe('1');
    c.destroy();
  });

  it('cancels a TransactGetItems of an item a transaction is writing', async () => {
    const c = raw();
    const first = c.send(new TransactWriteItemsCommand({ TransactItems: [addOne('c1')] }));
    await sleep(100);
    const get = await errorOf(
      c.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: table, Key: key('c1') } }] })),
    );
    await first;
    expect(get?.name).toBe('TransactionCanceledException');
    expect(layer.stats().conflicts.transactionalReads).toBeGreaterThanOrEqual(1);
    c.destroy();
  });

  it('lets the database client retry conflicts with backoff: 20 concurrent transactions on one item all land', async () => {
    // AWS-like holds (the default): twenty at once drain within the client's retry budget.
    const short = await startDynamoLayer({ target: dynamoLocalEndpoint() });
    const m = measureDb();
    try {
      await withEnvironment({ TABLE_NAME: table, DYNAMODB_ENDPOINT: short.endpoint, AWS_REGION: LOCAL_REGION }, () =>
        Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            transact([docAddOne('d1'), docAddOne(`d-own-${i}`)], () => new DomainError('CONCURRENT_UPDATE', 'x')),
          ),
        ),
      );
      expect(short.stats().conflicts.transactions).toBeGreaterThan(0);
      expect(m.conflictsRetried).toBe(short.stats().conflicts.transactions);
    } finally {
      stopMeasuringDb();
      await short.close();
    }
    expect((await getItem('d1', 'X', true))?.n).toBe(20);
  });
});

describe('capacity', () => {
  it('bills a transaction as AWS does: 2 write units per KB of each item, and its index entries', async () => {
    const c = raw();
    const single = await c.send(
      new PutItemCommand({ TableName: table, Item: key('e1'), ReturnConsumedCapacity: 'TOTAL' }),
    );
    const tx = await c.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: key('e2') } },
          { Put: { TableName: table, Item: { ...key('e3'), big: S('x'.repeat(1500)) } } },
          { Put: { TableName: table, Item: { ...key('e4'), gsi1pk: S('p'), gsi1sk: S('s') } } },
          { ConditionCheck: { TableName: table, Key: key('e1'), ConditionExpression: 'attribute_exists(pk)' } },
        ],
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(single.ConsumedCapacity?.CapacityUnits).toBe(1);
    // e2: 2, e3 (1.5 KB): 4, e4: 2 and its gsi1 entry 1, the ConditionCheck: 2.
    expect(tx.ConsumedCapacity?.[0]).toMatchObject({
      CapacityUnits: 11,
      Table: { CapacityUnits: 10 },
      GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 1 } },
    });
    c.destroy();
  });
});

describe('IAM: each local function held to its grants', () => {
  const as = (name: string) => {
    // The docs function is told the API's URL: this file starts no server, so it names one.
    const d = localDeployment();
    const env = localEnvironment(findSpec(name)!, { ...d, apiUrl: d.apiUrl ?? 'http://127.0.0.1:9' });
    return raw({
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: 'local',
      sessionToken: env.AWS_SESSION_TOKEN!,
    });
  };

  it('lets a function do what its grants allow', async () => {
    const c = as('wishes');
    await c.send(new PutItemCommand({ TableName: table, Item: key('f1') }));
    await c.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': S('none') },
      }),
    );
    c.destroy();
  });

  it('refuses a Scan (no function is granted one), another table, and a table the function does not have', async () => {
    layer.resetStats();
    const wishes = as('wishes');
    const docs = as('docs');
    const scan = await errorOf(wishes.send(new ScanCommand({ TableName: table })));
    const other = await errorOf(wishes.send(new GetItemCommand({ TableName: `${table}-other`, Key: key('x') })));
    const none = await errorOf(docs.send(new GetItemCommand({ TableName: table, Key: key('x') })));
    expect([scan?.name, other?.name, none?.name]).toEqual([
      'AccessDeniedException',
      'AccessDeniedException',
      'AccessDeniedException',
    ]);
    expect(layer.stats().denied).toEqual([
      `pioneer-jinjiang-wishes dynamodb:Scan on ${table}`,
      `pioneer-jinjiang-wishes dynamodb:GetItem on ${table}-other`,
      `pioneer-jinjiang-docs dynamodb:GetItem on ${table}`,
    ]);
    wishes.destroy();
    docs.destroy();
  });

  it('holds the functions themselves to their grants: the stats function (read-only) may read, not write', async () => {
    layer.resetStats();
    const env: Record<string, string> = {
      ...localEnvironment(findSpec('stats')!),
      TABLE_NAME: table,
      DYNAMODB_ENDPOINT: layer.endpoint,
    };
    expect(env.AWS_SESSION_TOKEN).toBeDefined();
    await withEnvironment(env, async () => {
      expect(await getItem('f1', 'X')).toBeDefined();
      const err = await errorOf(putIfAbsent({ pk: 'i1', sk: 'X' }));
      expect(err?.name).toBe('AccessDeniedException');
    });
    expect(layer.stats().denied).toEqual([`pioneer-jinjiang-stats dynamodb:PutItem on ${table}`]);
  });

  it('checks each item of a transaction: a read-only grant may ConditionCheck but not Put', async () => {
    const ro = raw({
      accessKeyId: 'localReadOnly',
      secretAccessKey: 'local',
      sessionToken: encodeGrants({ function: 'pioneer-test-ro', tables: { [table]: 'RO' } }),
    });
    const check = { ConditionCheck: { TableName: table, Key: key('f1'), ConditionExpression: 'attribute_exists(pk)' } };
    const put = { Put: { TableName: table, Item: key('g1') } };
    expect(await errorOf(ro.send(new TransactWriteItemsCommand({ TransactItems: [check, put] })))).toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(await errorOf(ro.send(new GetItemCommand({ TableName: table, Key: key('f1') })))).toBeUndefined();
    ro.destroy();
  });
});

describe('an unavailable database is a 503, never a 500', () => {
  const inLayer = <T>(fn: () => Promise<T>) =>
    withEnvironment({ TABLE_NAME: table, DYNAMODB_ENDPOINT: layer.endpoint, AWS_REGION: LOCAL_REGION }, fn);
  const fails = (fn: () => Promise<unknown>) =>
    inLayer(fn).then(
      () => undefined,
      (e: unknown) => e as DomainError,
    );

  it('throttling that outlasts the SDK’s retries', async () => {
    layer.inject({ ops: ['GetItem'], action: 'throttle', times: 3 });
    const err = await fails(() => getItem('h1', 'X'));
    expect(err).toBeInstanceOf(DomainError);
    expect(err?.code).toBe('UNAVAILABLE');
    expect(err?.extra.retryAfter).toBe(1);
  });

  it('DynamoDB 5xx', async () => {
    layer.inject({ ops: ['GetItem'], action: 'server-error', times: 3 });
    expect((await fails(() => getItem('h1', 'X')))?.code).toBe('UNAVAILABLE');
  });

  it('a database that cannot be reached, and it answers again when it is back', async () => {
    layer.setDown(true);
    const err = await fails(() => getItem('h1', 'X'));
    layer.setDown(false);
    expect(err?.code).toBe('UNAVAILABLE');
    expect(err?.extra.retryAfter).toBe(5);
    expect(await inLayer(() => getItem('h1', 'X'))).toBeUndefined();
  });

  it('a throttled try followed by a good one is no error at all (the SDK retries it)', async () => {
    layer.inject({ ops: ['GetItem'], action: 'throttle', times: 1 });
    expect(await inLayer(() => getItem('h1', 'X'))).toBeUndefined();
    expect(tableName()).toBe(table);
  });
});
