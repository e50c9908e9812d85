import type { Certificate, CertifiedRecord } from '../domain/certificate.ts';
import { DomainError } from '../domain/errors.ts';
import { tableName } from './client.ts';
import type { Page } from './cursor.ts';
import {
  certificateChunkKey,
  certificateKey,
  certificateKeys,
  certificateQuery,
  memberCertificatesQuery,
} from './keys.ts';
import { fromItem, getItem, queryPage, transact, type Item } from './table.ts';

/**
 * Volunteer service certificates.
 *   certificate  pk CERT#<number>   sk CERT                 (verify by number: GetItem, small)
 *                gsi1 MEMBER#<memberId>#CERTS / <issuedAt>#<number>   (a member's certificates)
 *   record list  pk CERT#<number>   sk RECORDS#<000..>      (the records it covers, RECORDS_PER_CHUNK a chunk)
 * The header holds everything verification shows, so verifying reads one small item; the list of
 * up to MAX_CERT_RECORDS records lives in a few chunk items beside it (an item holds at most 400 KB).
 * Header and chunks are written in one transaction; the number is random, and a clash (the put's
 * condition fails) is reported so the service can draw another. (Keys: shared/db/keys.ts.)
 */
export const RECORDS_PER_CHUNK = 250;

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
          ...certificateKeys(c),
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
          ...certificateChunkKey(c.number, i),
          type: 'certificate-records',
          records: records.slice(i * RECORDS_PER_CHUNK, (i + 1) * RECORDS_PER_CHUNK),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  await transact(items, () => new NumberTaken(c.number));
}

const header = (i: Item) => fromItem<Header>(i, 'chunks');

/** The certificate's header (everything but the record list): what verification shows. */
export async function getCertificateHeader(number: string): Promise<Header | undefined> {
  const k = certificateKey(number);
  const i = await getItem(k.pk, k.sk);
  return i && header(i);
}

/** The whole certificate, with its record list (one Query of its partition). */
export async function getCertificate(number: string): Promise<Certificate | undefined> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const p = await queryPage({ ...certificateQuery(number), limit: 100, cursor });
    items.push(...p.items);
    cursor = p.nextCursor;
  } while (cursor);
  // The partition holds the header and its record-list chunks.
  const headSk = certificateKey(number).sk;
  const head = items.find((i) => i.sk === headSk);
  if (!head) return undefined;
  const records = items
    .filter((i) => i.sk !== headSk)
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
    .flatMap((i) => i.records as CertifiedRecord[]);
  return { ...header(head), records };
}

/** A member's certificates (headers), newest first. */
export async function listMemberCertificates(
  memberId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Header>> {
  const p = await queryPage({ ...memberCertificatesQuery(memberId), limit, cursor, newestFirst: true });
  return { items: p.items.map(header), nextCursor: p.nextCursor };
}
