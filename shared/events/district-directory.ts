import * as z from 'zod/mini';
import { DIRECTORY_VARIABLE, districtDirectoryPath, needAtColdStart, ssmEndpoint } from '../config/env.ts';
import { awsJson } from './aws-json.ts';

/**
 * The districts the city knows, learnt at run time, never from its bundle: each district's stack
 * writes its profile as a String parameter `<DISTRICT_DIRECTORY>/<id>` (infra/district-stack.ts),
 * and the city reads the path with GetParametersByPath (one signed JSON call a page of 10,
 * shared/events/aws-json.ts), kept for a minute. A district deployed now is expected by the city
 * within a minute; a district whose stack is deleted is no longer expected.
 *
 * Locally (infra/local/city-bus.ts) and in tests, `setDistrictDirectory` installs the list the local
 * platform stands for (the configured districts), as `setPublisher` does for the bus.
 */
export interface DistrictEntry {
  readonly id: string;
  readonly name: string;
  readonly nameZh: string;
  readonly code: string;
}

const Entry = z.strictObject({
  id: z.string().check(z.regex(/^[a-z][a-z0-9]{1,23}$/)),
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  nameZh: z.string().check(z.minLength(1), z.maxLength(200)),
  code: z.string().check(z.regex(/^\d{6}$/)),
});

// The city's functions cannot work without the directory's path: in Lambda, the init fails naming it.
needAtColdStart(DIRECTORY_VARIABLE);

interface GetParametersByPathOutput {
  readonly Parameters?: readonly { readonly Name?: string; readonly Value?: string }[];
  readonly NextToken?: string;
}

/** How long a read of the directory is kept (per path): the city's calls are few, a minute is fresh enough. */
export const DIRECTORY_CACHE_MS = 60_000;

let installed: (() => Promise<readonly DistrictEntry[]>) | undefined;
const cache = new Map<string, { at: number; entries: Promise<DistrictEntry[]> }>();

/** Tests and the local runtime: the districts to report (undefined: read the parameters again). */
export function setDistrictDirectory(list: (() => Promise<readonly DistrictEntry[]>) | undefined): void {
  installed = list;
  cache.clear();
}

/** The known districts, by GB/T 2260 code (the administrative order), then id. */
export async function knownDistricts(): Promise<DistrictEntry[]> {
  if (installed) return ordered([...(await installed())]);
  const path = districtDirectoryPath();
  const hit = cache.get(path);
  if (hit && Date.now() - hit.at < DIRECTORY_CACHE_MS) return hit.entries;
  const entries = readDirectory(path).then(ordered);
  cache.set(path, { at: Date.now(), entries });
  entries.catch(() => cache.delete(path)); // a failed read is tried again next time
  return entries;
}

async function readDirectory(path: string): Promise<DistrictEntry[]> {
  const out: DistrictEntry[] = [];
  let token: string | undefined;
  do {
    const page: GetParametersByPathOutput = await awsJson<GetParametersByPathOutput>({
      service: 'ssm',
      target: 'AmazonSSM.GetParametersByPath',
      endpoint: ssmEndpoint(),
      body: { Path: path, Recursive: false, MaxResults: 10, ...(token ? { NextToken: token } : {}) },
    });
    for (const p of page.Parameters ?? []) out.push(parseEntry(p.Name ?? '?', p.Value ?? ''));
    token = page.NextToken;
  } while (token);
  return out;
}

/** One parameter's value; a malformed one is an error naming it (a deployment fault to fix, not to skip). */
export function parseEntry(name: string, value: string): DistrictEntry {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new Error(`district directory: parameter ${name} does not hold JSON`);
  }
  const parsed = Entry.safeParse(json);
  if (!parsed.success) throw new Error(`district directory: parameter ${name} does not hold a district profile`);
  if (!name.endsWith(`/${parsed.data.id}`))
    throw new Error(`district directory: parameter ${name} holds district ${parsed.data.id}`);
  return parsed.data;
}

const ordered = (xs: DistrictEntry[]) => xs.sort((a, b) => a.code.localeCompare(b.code) || a.id.localeCompare(b.id));
