/**
 * The flow editor's test call (issue #5) on the running system: POST /api/ivr/flows/test walks a
 * flow document, or a stored version, with typed digits through the real FlowRun — each step with
 * its digits, branch and prompts, and the outcome (queued, hung up, waiting for input at a node).
 * An invalid document gets the same 400 error list as /validate; agents may not use it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startSystemUnderTest, type SystemUnderTest } from '../support/system-under-test.ts';

interface Step {
  node: string;
  verb: string;
  input?: string;
  branch?: string;
  prompts: ({ tts: string; lang: string } | { file: string })[];
}
interface TestCall {
  steps: Step[];
  outcome: { type: string; node: string; verb?: string; group?: string };
  unusedDigits: string;
}

const HOTLINE = '4008001000';

function byeFlow() {
  return {
    name: 'test',
    start: 'welcome',
    nodes: {
      welcome: {
        verb: 'menu',
        prompt: [{ tts: 'Press 9 to leave, 0 for an agent.', lang: 'en' }],
        choices: { '0': 'agent', '9': 'bye' },
        invalidPrompt: [{ tts: 'Sorry.', lang: 'en' }],
        retries: 1,
        noInput: 'agent',
      },
      agent: { verb: 'queue', group: 'general' },
      bye: { verb: 'hangup', prompt: [{ tts: 'Goodbye.', lang: 'en' }] },
    },
  };
}

let sut: SystemUnderTest;
let admin: ApiClient;
let sup: ApiClient;

beforeAll(async () => {
  sut = await startSystemUnderTest();
  admin = new ApiClient(sut.baseUrl);
  await admin.login('admin');
  sup = new ApiClient(sut.baseUrl);
  await sup.login('supervisor');
});
afterAll(async () => {
  await sut?.stop();
});

describe('POST /api/ivr/flows/test', () => {
  it('walks a document with typed digits to a hangup with its goodbye prompt', async () => {
    const call = await sup.json<TestCall>('POST', '/api/ivr/flows/test', {
      document: byeFlow(),
      digits: '9',
    });
    expect(call.steps).toEqual([
      {
        node: 'welcome',
        verb: 'menu',
        input: '9',
        prompts: [{ tts: 'Press 9 to leave, 0 for an agent.', lang: 'en' }],
      },
      { node: 'bye', verb: 'hangup', prompts: [{ tts: 'Goodbye.', lang: 'en' }] },
    ]);
    expect(call.outcome).toEqual({ type: 'hangup', node: 'bye' });
    expect(call.unusedDigits).toBe('');
  });

  it('reports an invalid key with the invalid prompt, then waiting for input; timeouts go to noInput', async () => {
    const wrong = await sup.json<TestCall>('POST', '/api/ivr/flows/test', {
      document: byeFlow(),
      digits: '5',
    });
    expect(wrong.steps).toHaveLength(1);
    expect(wrong.steps[0]!.input).toBe('5');
    expect(wrong.steps[0]!.prompts.map((p) => ('tts' in p ? p.tts : p.file))).toEqual([
      'Press 9 to leave, 0 for an agent.',
      'Sorry.',
      'Press 9 to leave, 0 for an agent.',
    ]);
    expect(wrong.outcome).toEqual({ type: 'waiting', node: 'welcome', verb: 'menu' });

    const silent = await sup.json<TestCall>('POST', '/api/ivr/flows/test', {
      document: byeFlow(),
      digits: '',
      noInputTimeouts: 2,
    });
    expect(silent.steps.map((s) => s.node)).toEqual(['welcome', 'agent']);
    expect(silent.outcome).toEqual({ type: 'queued', node: 'agent', group: 'general', priority: 0 });

    const extra = await sup.json<TestCall>('POST', '/api/ivr/flows/test', {
      document: byeFlow(),
      digits: '012',
    });
    expect(extra.outcome.type).toBe('queued');
    expect(extra.unusedDigits).toBe('12');
  });

  it('walks the published hotline by id: lookups take notFound, a gathered waybill is spoken', async () => {
    const flows = await admin.json<{ id: string; serviceNumbers: string[] }[]>('GET', '/api/ivr/flows');
    const hotline = flows.find((f) => f.serviceNumbers.includes(HOTLINE))!;
    const call = await admin.json<TestCall>('POST', '/api/ivr/flows/test', {
      id: hotline.id,
      digits: '1123456789#',
    });
    expect(call.steps.map((s) => [s.node, s.branch ?? s.input ?? null])).toEqual([
      ['welcome', '1'],
      ['track', 'notFound'],
      ['ask_waybill', '123456789#'],
      ['find', 'notFound'],
      ['unknown', null],
      ['more', null],
    ]);
    const unknown = call.steps[4]!.prompts[0]!;
    expect('tts' in unknown && unknown.tts).toContain('没有找到运单');
    expect(call.outcome).toEqual({ type: 'waiting', node: 'more', verb: 'menu' });

    const agent = await admin.json<TestCall>('POST', '/api/ivr/flows/test', { id: hotline.id, digits: '0' });
    expect(agent.outcome).toMatchObject({ type: 'queued', group: 'general' });
    expect(
      (await admin.request('POST', '/api/ivr/flows/test', { id: 'ivf_nosuch', digits: '' })).status,
    ).toBe(404);
  });

  it('rejects an invalid document with the /validate error list, bad digits, and agents', async () => {
    const bad = byeFlow();
    (bad.nodes.welcome.choices as Record<string, string>)['7'] = 'ghost';
    const res = await sup.request('POST', '/api/ivr/flows/test', { document: bad, digits: '7' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { valid: boolean; errors: unknown[] };
    expect(body.valid).toBe(false);
    expect(body.errors).toContainEqual({
      node: 'welcome',
      field: 'choices.7',
      message: expect.stringContaining('ghost'),
    });
    expect(
      (await sup.request('POST', '/api/ivr/flows/test', { document: byeFlow(), digits: '1a' })).status,
    ).toBe(400);
    const agent = new ApiClient(sut.baseUrl);
    await agent.login('1001');
    expect(
      (await agent.request('POST', '/api/ivr/flows/test', { document: byeFlow(), digits: '' })).status,
    ).toBe(403);
  });
});
