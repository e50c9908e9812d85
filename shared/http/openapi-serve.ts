/**
 * The document as the docs function serves it: the built document (shared/http/openapi.ts, no
 * `servers`) with what the stack's configuration says, never what a request says:
 *   - `servers`: the district API's base URL (API_URL);
 *   - each city path (`x-pioneer-api: city`) gets the city API's base URL (CITY_API_URL) as its own
 *     `servers`; without one, the city's paths are left out (no API to send them to);
 *   - the title names the district (its profile, from the stack: no bundle holds the list of districts).
 * Small on purpose: the docs bundle carries this, never the generator.
 */

export interface ServeOptions {
  readonly districtId: string;
  /** The district's names (DISTRICT_NAME, DISTRICT_NAME_ZH); absent: the title names its id. */
  readonly profile?: { readonly name: string; readonly nameZh: string };
  readonly apiUrl: string;
  readonly cityApiUrl?: string;
}

type Doc = { info: { title: string }; paths: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** A base URL without its trailing slash (a stage URL has one; the paths start with one). */
const base = (url: string) => url.replace(/\/+$/, '');

export function serveDocument<D extends Doc>(doc: D, opts: ServeOptions): D {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    if (item['x-pioneer-api'] !== 'city') paths[path] = item;
    else if (opts.cityApiUrl)
      paths[path] = { ...item, servers: [{ url: base(opts.cityApiUrl), description: 'The city’s API' }] };
  }
  const name = opts.profile ? `${opts.profile.name} (${opts.profile.nameZh})` : opts.districtId;
  return {
    ...doc,
    info: { ...doc.info, title: `${doc.info.title}: ${name}` },
    servers: [{ url: base(opts.apiUrl), description: `The API of ${name}` }],
    paths,
  };
}

/**
 * The city API's document as the city function serves it: `servers` the city API's base URL
 * (CITY_API_URL on the City stack: its own stage URL), its paths as built (all the city's).
 */
export function serveCityDocument<D extends Doc>(doc: D, cityApiUrl: string): D {
  return { ...doc, servers: [{ url: base(cityApiUrl), description: 'The city’s API' }] };
}
