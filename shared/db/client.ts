import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { env } from '../config/env.ts';

/**
 * One document client per process, made on first use (not at import: a request that never
 * touches the table, such as /openapi.json, pays nothing for it).
 */
let doc: DynamoDBDocumentClient | undefined;
let docFor: string | undefined;

export function db(): DynamoDBDocumentClient {
  const e = env();
  const key = `${e.dynamoEndpoint ?? ''}|${e.region}`;
  if (!doc || docFor !== key) {
    const base = new DynamoDBClient({
      region: e.region,
      ...(e.dynamoEndpoint
        ? { endpoint: e.dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
      maxAttempts: 3,
    });
    doc = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    docFor = key;
  }
  return doc;
}

export function tableName(): string {
  return env().tableName;
}
