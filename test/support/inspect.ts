import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * Test-only eyes on the whole table (a Scan is fine here: product code never scans). Used to
 * prove that bad input wrote nothing and to read items the API does not expose.
 */
function client(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: process.env.AWS_REGION ?? 'ap-southeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function allItems(tableName = process.env.TABLE_NAME!): Promise<Record<string, unknown>[]> {
  const c = client();
  const out: Record<string, unknown>[] = [];
  let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await c.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    out.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  c.destroy();
  return out;
}

/** A fingerprint of the table's contents, to compare before and after a request. */
export async function snapshot(
  tableName = process.env.TABLE_NAME!,
  opts: { ignoreTypes?: readonly string[] } = {},
): Promise<string> {
  const items = (await allItems(tableName)).filter((i) => !opts.ignoreTypes?.includes(String(i.type)));
  return JSON.stringify(items.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort());
}
