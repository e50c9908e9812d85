import type { Certificate, CertifiedRecord } from '../domain/certificate.ts';
import { DomainError } from '../domain/errors.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import { getItem, queryPage, toItemWithoutKeys, transact, type Item } from './table.ts';

/**
 * Volunteer service certificates.
 *   certificate  pk CERT#<number>   sk CERT                 (verify by number: GetItem, small)
 *                gsi1 MEMBER#<memberId>#CERTS / <issuedAt>#<number>   (a member's certificates)
 *   record list  pk CERT#<number>   sk RECORDS#<000..>      (the records it covers, RECORDS_PER_CHUNK a chunk)
 * The header holds everything verification shows, so verifying reads one small item; the list of
 * up to MAX_CERT_RECORDS records lives in a few chunk items beside it (an item holds at most 400 KB).
 * Header and chunks are written in one transaction; the number is random, and a clash (the put's
 * condition fails) is reported so the service can draw another.
 */
export const RECORDS_PER_CHUNK = 250;

export const certificateKey = (number: string) => ({ pk: `CERT#${number}`, sk: 'CERT' });
const chunkKey = (number: string, i: number) => ({ pk: `CERT#${number}`, sk: `RECORDS#${String(i).padStart(3, '0')}` });

/** The number drawn is taken already (a 409 if it ever escaped; the service draws another). */
export class NumberTaken extends DomainError {
  constructor(number: string) {
    super('CONCURRENT_UPDATE', `certificate number ${number} exists already`);
  }
}

type Header = Omit<Certificate, 'records'>;

/** Writes a new certificate; throws NumberTaken when its number exists already. */
export async function putCertificate(c: Certificate): Promise<void> {
  const { records, ...header } = c;
  const items: Parameters<typeof transact>[0] = [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...certificateKey(c.number),
          gsi1pk: `MEMBER#${c.memberId}#CERTS`,
          gsi1sk: `${c.issuedAt}#${c.number}`,
          type: 'certificate',
          chunks: Math.ceil(records.length / RECORDS_PER_CHUNK),
          ...header,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  for (let i = 0; i * RECORDS_PER_CHUNK < records.length; i++) {
    items.push({
      Put: {
        TableName: tableName(),
        Item: {
          ...chunkKey(c.number, i),
          type: 'certificate-records',
          records: records.slice(i * RECORDS_PER_CHUNK, (i + 1) * RECORDS_PER_CHUNK),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  await transact(items, () => new NumberTaken(c.number));
}

function header(i: Item): Header {
  const { type, chunks, ...rest } = toItemWithoutKeys<Record<string, unknown>>(i);
  void type, chunks;
  return rest as unknown as Header;
}

/** The certificate's header (everything but the record list): what verification shows. */
export async function getCertificateHeader(number: string): Promise<Header | undefined> {
  const i = await getItem(certificateKey(number).pk, 'CERT');
  return i && header(i);
}

/** The whole certificate, with its record list (one Query of its partition). */
export async function getCertificate(number: string): Promise<Certificate | undefined> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const p = await queryPage({ partition: `CERT#${number}`, limit: 100, cursor });
    items.push(...p.items);
    cursor = p.nextCursor;
  } while (cursor);
  const head = items.find((i) => i.sk === 'CERT');
  if (!head) return undefined;
  const records = items
    .filter((i) => typeof i.sk === 'string' && i.sk.startsWith('RECORDS#'))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
    .flatMap((i) => i.records as CertifiedRecord[]);
  return { ...header(head), records };
}

/** A member's certificates (headers), newest first. */
export async function listMemberCertificates(memberId: string, limit: number, cursor: string | undefined): Promise<Page<Header>> {
  const p = await queryPage({ index: 'gsi1', partition: `MEMBER#${memberId}#CERTS`, limit, cursor, newestFirst: true });
  return { items: p.items.map(header), nextCursor: p.nextCursor };
}
