import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../shared/config/table.ts';
import { ensureTable, freePort, localDynamoClient, startDynamoLocal } from '../../infra/local/dynamo.ts';
import { dynamoEndpoint, uniqueTableName } from '../support/table.ts';

const endpoint = dynamoEndpoint();
const client = localDynamoClient(endpoint);
const tmpDirs: string[] = [];

afterAll(() => {
  client.destroy();
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

const describeTable = async (name: string) => (await client.send(new DescribeTableCommand({ TableName: name }))).Table!;

describe('ensureTable', () => {
  it('creates the table from the definition: keys, every GSI projecting ALL, on-demand, TTL on', async () => {
    const name = uniqueTableName();
    await ensureTable(endpoint, name);
    const t = await describeTable(name);
    expect(t.TableStatus).toBe('ACTIVE');
    expect(t.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(t.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const gsis = (t.GlobalSecondaryIndexes ?? []).map((g) => ({
      name: g.IndexName,
      keys: g.KeySchema?.map((k) => k.AttributeName),
      projection: g.Projection?.ProjectionType,
      status: g.IndexStatus,
    }));
    expect(gsis.sort((a, b) => a.name!.localeCompare(b.name!))).toEqual(
      TABLE.indexes.map((ix) => ({
        name: ix.name,
        keys: [ix.partitionKey, ix.sortKey],
        projection: 'ALL',
        status: 'ACTIVE',
      })),
    );
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: TABLE.ttlAttribute, TimeToLiveStatus: 'ENABLED' });
  });

  it('is a no-op on a table that is already right', async () => {
    const name = uniqueTableName();
    await ensureTable(endpoint, name);
    const before = await describeTable(name);
    await ensureTable(endpoint, name);
    const after = await describeTable(name);
    expect(after.CreationDateTime).toEqual(before.CreationDateTime);
    expect(after.GlobalSecondaryIndexes?.length).toBe(TABLE.indexes.length);
  });

  it('adds a GSI the definition has and the table lacks; the new index answers queries', async () => {
    // Its own DynamoDB Local: a new index is built by a background task that the shared
    // instance, busy with every other test file, has starved past a minute on 2 cores.
    const own = await startDynamoLocal({ inMemory: true, port: 0 });
    const endpoint = own.endpoint;
    const client = localDynamoClient(endpoint);
    const describeTable = async (name: string) =>
      (await client.send(new DescribeTableCommand({ TableName: name }))).Table!;
    try {
      const name = uniqueTableName();
      await ensureTable(endpoint, name, { ...TABLE, indexes: TABLE.indexes.slice(0, 1) });
      expect((await describeTable(name)).GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual([
        TABLE.indexes[0]!.name,
      ]);
      await client.send(
        new PutItemCommand({
          TableName: name,
          Item: { pk: { S: 'a' }, sk: { S: 'b' }, gsi2pk: { S: 'G' }, gsi2sk: { S: '1' } },
        }),
      );
      await ensureTable(endpoint, name);
      const t = await describeTable(name);
      expect(t.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus]).sort()).toEqual(
        TABLE.indexes.map((i) => [i.name, 'ACTIVE']).sort(),
      );
      await client.send(
        new PutItemCommand({
          TableName: name,
          Item: { pk: { S: 'c' }, sk: { S: 'd' }, gsi2pk: { S: 'G' }, gsi2sk: { S: '2' } },
        }),
      );
      const q = await client.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :g',
          ExpressionAttributeValues: { ':g': { S: 'G' } },
        }),
      );
      expect(q.Items?.map((i) => i.pk?.S)).toContain('c');
    } finally {
      client.destroy();
      await own.stop();
    }
  }, 90_000);

  it('says clearly when an existing table has other keys', async () => {
    const name = uniqueTableName();
    await ensureTable(endpoint, name, { partitionKey: 'id', sortKey: 'at', indexes: [], ttlAttribute: 'ttl' });
    await expect(ensureTable(endpoint, name)).rejects.toThrow(/exists with keys id\/at but the definition says pk\/sk/);
  });

  it('says clearly when nothing answers at the endpoint', async () => {
    const port = await freePort();
    await expect(ensureTable(`http://127.0.0.1:${port}`, 'whatever')).rejects.toThrow(
      `DynamoDB Local is not answering at http://127.0.0.1:${port}`,
    );
  });
});

/** What connecting to `host`:`port` gives: 'connected', 'timeout' or the error code. */
function connectTo(host: string, port: number): Promise<string> {
  return new Promise<string>((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('timeout', () => {
      s.destroy();
      resolve('timeout');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

/** Local addresses of sockets listening on `port`, from /proc/net/tcp and tcp6 (Linux). */
function listeningAddresses(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue; // 0A = LISTEN
      const [addr, portHex] = cols[1]!.split(':');
      if (parseInt(portHex!, 16) === port) out.push(addr!);
    }
  }
  return out;
}

const LOOPBACK_HEX = new Set([
  '0100007F', // 127.0.0.1
  '0000000000000000FFFF00000100007F', // ::ffff:127.0.0.1
  '00000000000000000000000001000000', // ::1
]);

describe('DynamoDB Local process', () => {
  it('listens on 127.0.0.1 only', async () => {
    const port = Number(new URL(endpoint).port);
    // Linux only (as CI and the README's prerequisites): elsewhere this fails rather than pass unchecked.
    expect(fs.existsSync('/proc/net/tcp'), 'this test reads the listening sockets from /proc/net/tcp (Linux)').toBe(
      true,
    );
    const addrs = listeningAddresses(port);
    expect(addrs.length).toBeGreaterThan(0);
    expect(addrs.filter((a) => !LOOPBACK_HEX.has(a))).toEqual([]);
    // Another address of this machine is refused: 127.0.0.2 always exists on Linux (the whole of
    // 127/8 is loopback) and reaches a socket bound to 0.0.0.0 or to an interface's address, but
    // not one bound to 127.0.0.1. (No address off the loopback range is ever dialled.)
    expect(await connectTo('127.0.0.2', port)).toBe('ECONNREFUSED');
    // And the check can fail: 127.0.0.1 itself answers.
    expect(await connectTo('127.0.0.1', port)).toBe('connected');
  });

  it('keeps data in a folder across restarts, and stop() leaves no java process', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pioneer-ddb-'));
    tmpDirs.push(dataDir);
    const first = await startDynamoLocal({ dataDir });
    expect(first.endpoint).toBe(`http://127.0.0.1:${first.port}`);
    await ensureTable(first.endpoint, 'persisted-table');
    await first.stop();
    await first.stop(); // idempotent
    expect(() => process.kill(first.pid, 0)).toThrow();
    const second = await startDynamoLocal({ dataDir });
    try {
      const c = localDynamoClient(second.endpoint);
      expect((await c.send(new ListTablesCommand({}))).TableNames).toContain('persisted-table');
      c.destroy();
    } finally {
      await second.stop();
    }
  });

  it('says in one line when the data folder cannot be written', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pioneer-ddb-')), 'a-file');
    tmpDirs.push(path.dirname(file));
    fs.writeFileSync(file, '');
    const err = await startDynamoLocal({ dataDir: path.join(file, 'db') }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^cannot write DynamoDB Local data folder .*a-file\/db \(ENOTDIR\)/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('says in one line when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startDynamoLocal({ inMemory: true, port })).rejects.toThrow(`port ${port} is in use`);
    } finally {
      blocker.close();
    }
  });
});
