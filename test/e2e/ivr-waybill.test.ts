/**
 * Acceptance (issue #5, IVR-02): waybill status by voice on the demo hotline, real SIPp callers and
 * the real database seeded with the demo shipments. A caller presses 1 (RFC 4733), is not a
 * customer, types a waybill number ending in # (RFC 4733) and the IVR looks it up and says its
 * status; an unknown number takes the notFound branch; the demo customer's own number is
 * identified and hears its latest shipment without typing anything. The CDRs' IVR paths say
 * which branch each call took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WAYBILLS } from '../../src/cli/demo-shipments.ts';
import { runSipp } from '../support/sipp.ts';
import { freeSipPort } from '../support/ports.ts';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface Cdr {
  caller: string;
  queue: string | null;
  endedAt: string | null;
  disposition: string;
  customerId: string | null;
  ivrPath: { node: string; verb: string; input?: string; branch?: string }[];
}

const HOTLINE = '4008001000';
let sut: SystemUnderTest;
let admin: ApiClient;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
});
afterAll(async () => {
  await sut?.stop();
});

async function endedCdrOf(caller: string): Promise<Cdr> {
  let found: Cdr | undefined;
  await expect
    .poll(
      async () => {
        const rows = await admin.json<Cdr[]>('GET', '/api/cdrs?limit=20');
        found = rows.find((c) => c.caller === caller);
        return found?.endedAt ?? null;
      },
      { timeout: 20_000, interval: 200 },
    )
    .not.toBeNull();
  return found!;
}

/**
 * The waybill numbers the scenarios type, digit by digit as RFC 4733 events. Each digit is a
 * replayed pcap, whose events repeat their RTP timestamps, so a digit counts once per call: the
 * numbers use distinct digits and no 1 (the menu choice).
 */
const TYPED = {
  'caller-waybill-found.xml': '730598264',
  'caller-waybill-unknown.xml': '987654320',
} as const;

/** A caller who presses 1, types the scenario's number and # after `gatherAfterMs`, listens, hangs up. */
async function call(caller: string, scenario: keyof typeof TYPED, gatherAfterMs = 1500): Promise<Cdr> {
  const port = await freeSipPort();
  const run = runSipp({
    scenario,
    target: `127.0.0.1:${sut.sipPort}`,
    localPort: port,
    mediaPort: port + 1100,
    service: HOTLINE,
    vars: { caller, gather_after_ms: gatherAfterMs, listen_ms: 4000 },
    timeoutSec: 60,
  });
  const result = await run.done;
  expect(result.code, result.output.slice(-3000)).toBe(0);
  return endedCdrOf(caller);
}

describe('waybill status by voice (IVR-02)', () => {
  it('looks up a typed waybill number and says its status', async () => {
    expect(TYPED['caller-waybill-found.xml']).toBe(DEMO_WAYBILLS.inTransit);
    const cdr = await call('13800000201', 'caller-waybill-found.xml');
    expect(cdr).toMatchObject({ customerId: null, queue: null, disposition: 'ivr' });
    expect(cdr.ivrPath.slice(0, 5)).toEqual([
      { node: 'welcome', verb: 'menu', input: '1' },
      { node: 'track', verb: 'lookup', branch: 'notFound' },
      { node: 'ask_waybill', verb: 'gather', input: `${DEMO_WAYBILLS.inTransit}#` },
      { node: 'find', verb: 'lookup', branch: 'found' },
      { node: 'status', verb: 'say' },
    ]);
  }, 60_000);

  it('takes the notFound branch for a waybill number that does not exist', async () => {
    const cdr = await call('13800000202', 'caller-waybill-unknown.xml');
    expect(cdr.ivrPath.slice(0, 5)).toEqual([
      { node: 'welcome', verb: 'menu', input: '1' },
      { node: 'track', verb: 'lookup', branch: 'notFound' },
      { node: 'ask_waybill', verb: 'gather', input: '987654320#' },
      { node: 'find', verb: 'lookup', branch: 'notFound' },
      { node: 'unknown', verb: 'say' },
    ]);
  }, 60_000);

  it('identifies the demo customer by number and reads its latest shipment without asking', async () => {
    // 华东电子商贸有限公司's contact; the digits typed meanwhile fall on the spoken answer and are ignored.
    const cdr = await call('13800000001', 'caller-waybill-found.xml', 500);
    expect(cdr.customerId).toMatch(/^cus_/);
    expect(cdr.ivrPath.slice(0, 3)).toEqual([
      { node: 'welcome', verb: 'menu', input: '1' },
      { node: 'track', verb: 'lookup', branch: 'found' },
      { node: 'mine', verb: 'say' },
    ]);
    expect(cdr.ivrPath.some((s) => s.node === 'ask_waybill')).toBe(false);
  }, 60_000);
});
