import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildCityOpenApi, buildOpenApi } from '../../shared/http/openapi.ts';
import { serveCityDocument, serveDocument } from '../../shared/http/openapi-serve.ts';

/**
 * The third-party tools that read the document, run as a developer or CI runs them: Redocly CLI's
 * linter and the client generator (tools/openapi-client, openapi-typescript). Offline: Redocly's
 * telemetry and update check are off.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** The document as a district serves it (example base URLs), written to a fresh temporary file. */
export function servedDocumentFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pioneer-openapi-'));
  const file = path.join(dir, 'openapi.json');
  const doc = serveDocument(buildOpenApi(), {
    districtId: 'jinjiang',
    profile: { name: 'Jinjiang District', nameZh: '锦江区' },
    apiUrl: 'https://api.jinjiang.example',
    cityApiUrl: 'https://api.city.example',
  });
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

/** The city API's own document as the city function serves it, in a temporary file. */
export function servedCityDocumentFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pioneer-openapi-city-'));
  const file = path.join(dir, 'city-openapi.json');
  writeFileSync(file, JSON.stringify(serveCityDocument(buildCityOpenApi(), 'https://api.city.example'), null, 2));
  return file;
}

export interface LintResult {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

/** `redocly lint` with the project's redocly.yaml (recommended rules). */
export async function redoclyLint(file: string): Promise<LintResult> {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'redocly');
  const { stdout } = await run(bin, ['lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json'], {
    cwd: ROOT,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as LintResult;
}

/** The client types openapi-typescript makes of the document (tools/openapi-client/generate.mjs). */
export async function generateClientTypes(documentFile: string, out: string): Promise<void> {
  await run(process.execPath, [path.join(ROOT, 'tools', 'openapi-client', 'generate.mjs'), documentFile, out], {
    cwd: ROOT,
  });
}
