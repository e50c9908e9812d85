import { logLevel, logsSilenced, traceId } from '../config/env.ts';
import { ID_IN_TEXT, PHONE_IN_TEXT } from '../domain/masking.ts';

/**
 * Structured JSON logs, one object a line, with the request id. Personal data never reaches
 * them: log calls take known fields only, and `redact` scrubs anything that looks like a phone
 * or ID number from free text such as error messages.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const PERSONAL_KEYS = /phone|idnumber|id_number|mobile|password|authorization|token/i;

/**
 * Free text with every ID number and phone number replaced, found as free text in the API is
 * masked (shared/domain/masking.ts): full-width digits and grouped phones too, and never a piece
 * of a longer run of digits (a stream's sequence number stays readable).
 */
export function redact(text: string): string {
  return text.replace(ID_IN_TEXT, '[id-number]').replace(PHONE_IN_TEXT, '[phone]');
}

/** Objects are cleaned this deep; anything deeper is left out (it was once written unscrubbed). */
const MAX_DEPTH = 4;

function clean(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = PERSONAL_KEYS.test(k) ? '[redacted]' : clean(v, depth + 1);
  return out;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

let sink: (line: string) => void = (line) => process.stdout.write(line + '\n');

/** Tests capture log lines to prove what is never written. */
export function setLogSink(fn: (line: string) => void): () => void {
  const prev = sink;
  sink = fn;
  return () => {
    sink = prev;
  };
}

/**
 * The X-Ray trace of the invocation, when it is recorded (Lambda sets _X_AMZN_TRACE_ID; `Sampled=1`
 * with active tracing): its Root id. Unsampled invocations add nothing to their lines.
 */
function xrayTrace(): Record<string, string> {
  const header = traceId() ?? '';
  const root = /(?:^|;)Root=([^;]+)/.exec(header)?.[1];
  return root && /(?:^|;)Sampled=1(?:;|$)/.test(header) ? { xrayTraceId: root } : {};
}

export function createLogger(base: Record<string, unknown> = {}): Logger {
  // Each line names its trace, so a log line leads to the trace and back (X-Ray, per district).
  base = { ...xrayTrace(), ...base };
  const min = ORDER[(logLevel()?.toLowerCase() as Level) ?? 'info'] ?? ORDER.info;
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min || logsSilenced()) return;
    sink(
      JSON.stringify({
        level,
        time: new Date().toISOString(),
        msg: redact(msg),
        ...base,
        ...(clean(fields ?? {}) as object),
      }),
    );
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (f) => createLogger({ ...base, ...f }),
  };
}

export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error)
    return { errorName: err.name, errorMessage: redact(err.message), stack: err.stack ? redact(err.stack) : undefined };
  return { error: redact(String(err)) };
}
