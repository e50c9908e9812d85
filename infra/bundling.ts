import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/**
 * How every function is bundled, in one place: the CDK construct passes the same settings to
 * NodejsFunction (infra/constructs/pioneer-function.ts) and the bundle benchmark and the
 * bundle-size test build with these exact options.
 */
export const BANNER =
  "import { createRequire as __pioneerCreateRequire } from 'node:module';const require = __pioneerCreateRequire(import.meta.url);";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Packages swapped for smaller ones at bundle time (see each shim's comment). */
export const ALIASES: Record<string, string> = {
  '@aws-sdk/credential-provider-node': path.join(HERE, 'shims', 'credential-provider-node.ts'),
  '@smithy/core/event-streams': path.join(HERE, 'shims', 'event-streams.ts'),
  'mnemonist/lru-cache': path.join(HERE, 'shims', 'lru-cache.ts'),
};

export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  // Chinese text stays UTF-8 (3 bytes a character) instead of \uXXXX escapes (6).
  charset: 'utf8',
  legalComments: 'none',
  mainFields: ['module', 'main'],
  // `pioneer-bundle`: package.json `imports` resolve to what the build made (the OpenAPI document,
  // infra/openapi-build.ts) rather than to the code that makes it; `module` is esbuild's default.
  conditions: ['pioneer-bundle', 'module'],
  banner: { js: BANNER },
  // The AWS SDK is bundled too: faster cold starts than the runtime's copy (TOOLCHAIN.md).
  external: [],
  alias: ALIASES,
} as const satisfies BuildOptions;

/**
 * Source maps, when a stack has them (shared/config: `sourceMaps`, on by default): a linked
 * `index.mjs.map` beside the bundle, without the sources' text (names and lines only), which Node
 * reads when NODE_OPTIONS holds --enable-source-maps (the builder sets it): stack traces then name
 * `shared/http/job.ts:51` instead of `index.mjs:5`. The bundle itself is unchanged but for its last
 * line (the map's name), so its size and load are too.
 */
export const SOURCE_MAP_OPTIONS = { sourcemap: 'linked', sourcesContent: false } as const satisfies BuildOptions;

/** Every function bundle must stay under this (minified bytes). */
export const MAX_BUNDLE_BYTES = 300 * 1024;
