/**
 * Bundle-time stand-in for `@smithy/core/event-streams` (infra/bundling.ts aliases it). The SDK
 * loads it with a dynamic import only for operations that stream events; DynamoDB has none, so
 * the real module (~15 KB minified) would be dead weight in every function. If an operation ever
 * asked for it, this fails loudly rather than silently.
 */
function unavailable(): never {
  throw new Error('event streams are not bundled in Pioneer functions (infra/shims/event-streams.ts)');
}

export const EventStreamSerde = unavailable;
export const eventStreamSerdeProvider = unavailable;
