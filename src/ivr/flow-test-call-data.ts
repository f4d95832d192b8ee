/**
 * A test call that reads the real data sources (issue #5): the same lookups a call makes, so a
 * test call of the hotline reads a real waybill, road condition or branch. The walk itself is
 * synchronous (runTestCall); each time it meets a lookup it has no answer for, the answer is
 * fetched and the walk starts again from the beginning with it — the same digits lead the same
 * way, and a flow makes few lookups per call.
 */
import type { IvrDataSource } from './data-source.ts';
import type { LookupSource } from './flow-schema.ts';
import { runTestCall, type TestCallOptions, type TestCallResult } from './flow-test-call.ts';

/** Walks again at most this often; a flow looking up more distinct keys gets notFound past it. */
const maxLookups = 20;

async function answer(
  data: IvrDataSource,
  source: LookupSource,
  input: string,
  timeoutMs: number,
): Promise<Record<string, string> | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    // As on a call (IvrRunner): a failing or slow source means notFound.
    return await Promise.race([data.lookup(source, input).catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runTestCallWithData(
  flow: Parameters<typeof runTestCall>[0],
  options: Omit<TestCallOptions, 'lookup'>,
  data: IvrDataSource | undefined,
  timeoutMs = 3000,
): Promise<TestCallResult> {
  if (!data) return runTestCall(flow, options);
  const answers = new Map<string, Record<string, string> | null>();
  const now = options.now ?? (() => started);
  const started = Date.now();
  for (let i = 0; ; i++) {
    let missing = null as { source: LookupSource; input: string } | null;
    const result = runTestCall(flow, {
      ...options,
      now,
      lookup: (source, input) => {
        const known = answers.get(`${source}\u0000${input}`);
        if (known !== undefined || i >= maxLookups) return known ?? null;
        missing ??= { source, input };
        return null;
      },
    });
    if (missing === null) return result;
    const { source, input } = missing;
    answers.set(`${source}\u0000${input}`, await answer(data, source, input, timeoutMs));
  }
}
