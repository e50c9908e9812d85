import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, setLogSink } from '../../shared/http/logger.ts';

/** With X-Ray tracing on (shared/config: tracing), every log line names its trace; off, nothing is added. */
afterEach(() => {
  delete process.env._X_AMZN_TRACE_ID;
});

describe('log lines and traces', () => {
  it("carry the invocation's X-Ray trace id when it is recorded (sampled), and nothing otherwise", () => {
    const lines: string[] = [];
    const restore = setLogSink((l) => lines.push(l));
    try {
      process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
      createLogger({ requestId: 'r1' }).warn('traced');
      process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0';
      createLogger({ requestId: 'r2' }).warn('not sampled');
      delete process.env._X_AMZN_TRACE_ID;
      createLogger({ requestId: 'r3' }).warn('untraced');
    } finally {
      restore();
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'traced',
      requestId: 'r1',
      xrayTraceId: '1-5759e988-bd862e3fe1be46a994272793',
    });
    expect(JSON.parse(lines[1]!)).not.toHaveProperty('xrayTraceId');
    expect(JSON.parse(lines[2]!)).not.toHaveProperty('xrayTraceId');
  });

  it('reads Root and Sampled wherever they stand in the header, and only Sampled=1 as recorded', () => {
    const lines: string[] = [];
    const restore = setLogSink((l) => lines.push(l));
    try {
      for (const header of [
        'Sampled=1;Root=1-5759e988-bd862e3fe1be46a994272793',
        'Parent=53995c3f42cd8ad8;Sampled=1;Root=1-5759e988-bd862e3fe1be46a994272793',
        'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=10',
        'Root=1-5759e988-bd862e3fe1be46a994272793;NotSampled=1',
      ]) {
        process.env._X_AMZN_TRACE_ID = header;
        createLogger().warn(header);
      }
    } finally {
      restore();
    }
    expect(lines.map((l) => JSON.parse(l).xrayTraceId)).toEqual([
      '1-5759e988-bd862e3fe1be46a994272793',
      '1-5759e988-bd862e3fe1be46a994272793',
      undefined,
      undefined,
    ]);
  });
});
