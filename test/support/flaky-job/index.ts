/**
 * Test-only job function (test/integration/local-failures.test.ts): fails while the test says so
 * (a switch on globalThis, since the local runtime imports it into the test's own process), and
 * answers with the event it ran otherwise. Counts its invocations.
 */
interface Flaky {
  fail: boolean;
  calls: number;
}

const state = ((globalThis as { pioneerFlaky?: Flaky }).pioneerFlaky ??= { fail: false, calls: 0 });

export const handler = async (event: { job?: string; scheduledTime?: string }): Promise<unknown> => {
  state.calls++;
  if (state.fail) throw new Error(`flaky-job: ${event.job ?? 'event'} failing on purpose`);
  return { ok: true, job: event.job, scheduledTime: event.scheduledTime };
};
