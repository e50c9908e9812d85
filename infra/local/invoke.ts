import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { checkEnv, setEnvScope, STACK_VARIABLE, type EnvSource } from '../../shared/config/env.ts';
import { lambdaName } from '../../shared/config/functions.ts';
import type { FunctionSpec } from '../catalog.ts';
import { findSpec, localEnvironment } from './deployment.ts';
import { LocalError } from './errors.ts';
import { FUNCTIONS_DIR, displayPath } from './paths.ts';

/**
 * The local Lambda service. Every function runs in this one process, so none may see another's
 * environment: each invocation runs inside an AsyncLocalStorage scope holding the function's own
 * (deployment.ts: what the builder gives it in the cloud, and its own credentials), and
 * shared/config/env.ts, the only reader of the environment in shared/ and functions/, reads that
 * scope. The scope follows the invocation through every await, timer and nested invocation (the
 * city bus delivering an event runs the target in the target's scope, then returns to the
 * publisher's). Code outside any scope (tests calling services directly) reads process.env.
 */
const scope = new AsyncLocalStorage<EnvSource>();
setEnvScope(() => scope.getStore());

/** Runs `fn` with `environment` as the environment of everything it calls. */
export function withEnvironment<T>(environment: Readonly<Record<string, string>>, fn: () => T): T {
  return scope.run(Object.freeze({ ...environment }), fn);
}

/** A Lambda handler as the local runtime calls it: async, (event, context). */
export type LocalHandler = (event: unknown, context: Context) => Promise<unknown> | unknown;

export interface LoadOptions {
  /** The folder holding function folders; default `functions/` of the repo (tests pass their own). */
  dir?: string;
  /** What each function is and uses; default: every district and city function (infra/catalog.ts). */
  functions?: readonly FunctionSpec[];
}

const cache = new Map<string, Promise<LocalHandler>>();
const NAME = /^[a-z0-9][a-z0-9_-]*$/i;

/** Imports `<dir>/<name>/index.ts` once and returns its exported `handler`. */
export function loadFunction(name: string, opts: LoadOptions = {}): Promise<LocalHandler> {
  if (!NAME.test(name)) return Promise.reject(new LocalError(`not a function name: "${name}"`));
  const file = path.resolve(opts.dir ?? FUNCTIONS_DIR, name, 'index.ts');
  let p = cache.get(file);
  if (!p) {
    p = importHandler(name, file);
    cache.set(file, p);
    p.catch(() => cache.delete(file)); // a failed import is retried next time (the file may be fixed)
  }
  return p;
}

async function importHandler(name: string, file: string): Promise<LocalHandler> {
  if (!fs.existsSync(file)) throw new LocalError(`function "${name}" not found: ${displayPath(file)} does not exist`);
  const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
  if (typeof mod.handler !== 'function') {
    throw new LocalError(`${displayPath(file)} does not export a function named handler`);
  }
  return mod.handler as LocalHandler;
}

export interface ContextOptions {
  /** Milliseconds the invocation may take (29 s: API Gateway's integration timeout is 30 s). */
  timeoutMs?: number;
  awsRequestId?: string;
  /** @default ap-southeast-1 */
  region?: string;
}

/** A Lambda context like the one AWS passes, for a function named `functionName` (`pioneer-jinjiang-members`). */
export function fakeContext(functionName: string, opts: ContextOptions = {}): Context {
  const deadline = Date.now() + (opts.timeoutMs ?? 29_000);
  const region = opts.region ?? 'ap-southeast-1';
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const fail = (): never => {
    throw new Error('context.done/succeed/fail are not supported: return a value or throw');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: opts.awsRequestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

/**
 * Calls function `name` with `event` and a fresh context, in its own environment: first the check
 * its cold start makes in Lambda (the variables its declaration requires), then its handler
 * (imported once per process).
 */
export async function invokeFunction(
  name: string,
  event: unknown,
  opts: LoadOptions & ContextOptions = {},
): Promise<unknown> {
  const spec = findSpec(name, opts.functions);
  if (!spec)
    throw new LocalError(`function "${name}" is not declared (shared/config/functions.ts) or no route or job names it`);
  const environment = localEnvironment(spec);
  return withEnvironment(environment, async () => {
    checkEnv(spec);
    const handler = await loadFunction(name, opts);
    const stackId = environment[STACK_VARIABLE] ?? 'local';
    return handler(event, fakeContext(lambdaName(stackId, name), { ...opts, region: environment.AWS_REGION }));
  });
}
