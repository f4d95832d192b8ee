/**
 * An IVR flow is data (IVR-05): named nodes, each one verb, stored as versions and published
 * (issue #5). Only verbs the call path can carry out today are here: menu, play, say, gather, asr,
 * set, condition, hours, lookup, queue, hangup, and — defined in verb-nodes.ts — voicemail, sms,
 * email, fax, webhook, language, transfer. Nodes are strict objects, so a misspelt field is an error
 * instead of a silent default. The JSON Schema published at GET /api/ivr/flows/schema is generated
 * from these definitions (flow-json-schema.ts); graph checks live in flow-validate.ts.
 */
import { z } from 'zod';
import { checkDigitSchemes } from './check-digits.ts';
import { extraNodeLinks, extraNodes } from './verb-nodes.ts';

export const promptItem = z.union([
  z.strictObject({ tts: z.string().min(1).max(2000), lang: z.enum(['zh', 'en']).default('zh') }),
  z.strictObject({ file: z.string().min(1).max(500) }),
]);
export type PromptItem = z.infer<typeof promptItem>;

export const nodeIdPattern = /^[a-z][a-z0-9_-]{0,40}$/;
export const variablePattern = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;
/** A variable a template or condition may read: also the dotted names a lookup sets (`shipment.status`). */
export const readVariablePattern = /^[A-Za-z_][A-Za-z0-9_]{0,40}(?:\.[A-Za-z_][A-Za-z0-9_]{0,40}){0,3}$/;

const nodeId = z.string().regex(nodeIdPattern, {
  error: 'must be a node id: a lower-case letter, then lower-case letters, digits, "_" or "-"',
});
const variable = z.string().regex(variablePattern, {
  error: 'must be a variable name: a letter or "_", then letters, digits or "_"',
});
const readVariable = z.string().regex(readVariablePattern, {
  error: 'must be a variable name: a letter or "_", then letters, digits, "_" or "." between names',
});
const dtmfKey = z.string().regex(/^[0-9*#]$/, { error: 'is not a DTMF key; use one of 0-9, * or #' });
const prompts = z.array(promptItem).min(1);
const timeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, {
  error: 'must be a time of day as HH:MM (00:00 to 24:00)',
});

/** A DTMF menu (IVR-01): digits pressed during the prompt are taken at once (barge-in). */
export const menuNode = z.strictObject({
  verb: z.literal('menu'),
  prompt: prompts,
  choices: z.record(dtmfKey, nodeId),
  timeoutSec: z.number().min(1).max(60).default(5),
  retries: z.int().min(0).max(5).default(2),
  invalidPrompt: prompts.optional(),
  /** Where a caller who never chooses goes; hang up when absent. */
  noInput: nodeId.optional(),
});

export const playNode = z.strictObject({ verb: z.literal('play'), prompt: prompts, next: nodeId });

/** Templated text to speak: `{name}` is a variable, `{name|digits}` speaks it digit by digit. */
export const sayNode = z.strictObject({
  verb: z.literal('say'),
  text: z.string().min(1).max(2000),
  lang: z.enum(['zh', 'en']).default('zh'),
  next: nodeId,
});

/** Collect digits (a waybill number, a choice of route) into a variable. */
export const gatherNode = z.strictObject({
  verb: z.literal('gather'),
  prompt: prompts,
  variable,
  minLength: z.int().min(1).max(32).default(1),
  maxLength: z.int().min(1).max(32).default(20),
  /** Ends the input early; not stored. */
  terminator: z.enum(['#', '*']).optional(),
  /** Seconds to wait for the first digit after the prompt. */
  timeoutSec: z.number().min(1).max(60).default(5),
  /** Seconds to wait for each further digit before taking what was typed. */
  interDigitSec: z.number().min(1).max(30).default(3),
  retries: z.int().min(0).max(5).default(2),
  /** A regular expression the whole input must match (e.g. a waybill format). */
  pattern: z.string().min(1).max(200).optional(),
  /** A check digit the input must carry (check-digits.ts): `luhn`, or `s10` for EMS/postal items. */
  checkDigit: z.enum(checkDigitSchemes).optional(),
  invalidPrompt: prompts.optional(),
  next: nodeId,
  /** Where to go when the retries are used up; hang up when absent. */
  noInput: nodeId.optional(),
});

/**
 * Digits spoken after a prompt (IVR-04), recognised by the ASR adapter; DTMF pressed at any time is
 * taken instead (barge-in). No speech, a result below `confidence` or of the wrong length asks the
 * caller to key the digits in (`fallbackPrompt`, then a gather with the same length rules).
 * `confidence` is on the recognizer's scale: pocketsphinx scores clear digits 0.37-0.49 and
 * sentences forced onto digits about 0.2 (src/telephony/speech/asr.ts), hence 0.3.
 */
export const asrNode = z.strictObject({
  verb: z.literal('asr'),
  prompt: prompts,
  into: variable,
  minDigits: z.int().min(1).max(32).default(1),
  maxDigits: z.int().min(1).max(32).default(20),
  confidence: z.number().min(0).max(1).default(0.3),
  /** Seconds of silence after the prompt before speech counts as missing. */
  noSpeechSec: z.number().min(1).max(30).default(5),
  /** Longest utterance taken, in seconds. */
  maxSpeechSec: z.number().min(1).max(30).default(12),
  /** Asks for the digits on the keypad; a built-in sentence in the prompt's language when absent. */
  fallbackPrompt: prompts.optional(),
  /** Ends keyed input early; not stored. */
  terminator: z.enum(['#', '*']).default('#'),
  /** Seconds to wait for each keyed digit. */
  timeoutSec: z.number().min(1).max(60).default(5),
  /** Keyed attempts after the first that may fail before `noInput`. */
  retries: z.int().min(0).max(5).default(1),
  next: nodeId,
  /** Where to go when neither speech nor keys gave the digits; hang up when absent. */
  noInput: nodeId.optional(),
});

export const setNode = z.strictObject({
  verb: z.literal('set'),
  variable,
  /** Templated like `say` text, e.g. "{waybill}" or "vip". */
  value: z.string().max(500),
  next: nodeId,
});

export const conditionOps = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'prefix', 'matches'] as const;

/**
 * Branch on a variable: numbers compare as numbers (lt…ge); `value` is templated like `say` text,
 * except for `matches`, whose value is a regular expression the whole variable must match.
 */
export const conditionNode = z.strictObject({
  verb: z.literal('condition'),
  variable: readVariable,
  op: z.enum(conditionOps).default('eq'),
  value: z.string().max(200),
  then: nodeId,
  else: nodeId,
});

export const hoursWindow = z.strictObject({
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  days: z.array(z.int().min(1).max(7)).min(1).max(7),
  from: timeOfDay,
  to: timeOfDay,
});

/** Business hours (IVR-06): open inside the weekly windows, closed outside and on holidays. */
export const hoursNode = z.strictObject({
  verb: z.literal('hours'),
  timeZone: z.string().min(1).max(60).default('Asia/Shanghai'),
  windows: z.array(hoursWindow).min(1).max(28),
  /** Closed on the company holiday calendar (the ACD's, GET /api/acd/holidays). */
  holidays: z.boolean().default(true),
  open: nodeId,
  closed: nodeId,
});

/**
 * Data a lookup can query (IVR-02): one shipment by waybill number, the caller's latest shipment,
 * the road conditions to a city, a city's branches (city by name or area code, e.g. "028").
 */
export const lookupSources = ['waybill', 'caller_shipments', 'road_conditions', 'branches'] as const;
export type LookupSource = (typeof lookupSources)[number];

const shipmentVariables = [
  'shipment.waybill',
  'shipment.status',
  'shipment.statusEn',
  'shipment.statusCode',
  'shipment.from',
  'shipment.to',
  'shipment.lastCity',
  'shipment.lastAt',
  'shipment.expected',
  'shipment.deliveredAt',
  'shipment.delivery',
  'shipment.deliveryEn',
];

/** The variables a found lookup sets, per source (what templates after it may read). */
export const lookupVariables: Record<LookupSource, readonly string[]> = {
  waybill: shipmentVariables,
  caller_shipments: [
    'caller.name',
    'caller.contact',
    'caller.latestWaybill',
    'caller.shipmentCount',
    ...shipmentVariables,
  ],
  road_conditions: [
    'road.destination',
    'road.summary',
    'road.summaryEn',
    'road.worst',
    'road.worstEn',
    'road.segments',
    'road.updatedAt',
  ],
  branches: [
    'branch.city',
    'branch.count',
    'branch.summary',
    'branch.summaryEn',
    'branch.name',
    'branch.address',
    'branch.hours',
    'branch.phone',
  ],
};

/**
 * Query a data source and branch on the result (IVR-02): `found` with its variables set (see
 * `lookupVariables`), `notFound` when nothing matched, the source failed or it took longer than
 * `timeoutSec`. `input` names the variable holding the key (a gathered waybill number); for
 * caller_shipments it defaults to the caller's number.
 */
export const lookupNode = z.strictObject({
  verb: z.literal('lookup'),
  source: z.enum(lookupSources),
  input: variable.optional(),
  timeoutSec: z.number().min(1).max(30).default(3),
  found: nodeId,
  notFound: nodeId,
});

export const queueNode = z.strictObject({
  verb: z.literal('queue'),
  group: z.string().min(1).max(40),
  priority: z.int().min(0).max(9).default(0),
});

export const hangupNode = z.strictObject({ verb: z.literal('hangup'), prompt: prompts.optional() });

export const flowNode = z.discriminatedUnion('verb', [
  menuNode,
  playNode,
  sayNode,
  gatherNode,
  asrNode,
  setNode,
  conditionNode,
  hoursNode,
  lookupNode,
  queueNode,
  hangupNode,
  ...extraNodes,
]);
export type FlowNode = z.infer<typeof flowNode>;
export type FlowVerb = FlowNode['verb'];
export type NodeOf<V extends FlowVerb> = Extract<FlowNode, { verb: V }>;

/** The fields of each verb that name another node, in the order they are checked. */
export function nodeLinks(node: FlowNode): { field: string; target: string }[] {
  switch (node.verb) {
    case 'menu':
      return [
        ...Object.entries(node.choices).map(([digit, target]) => ({ field: `choices.${digit}`, target })),
        ...(node.noInput ? [{ field: 'noInput', target: node.noInput }] : []),
      ];
    case 'gather':
    case 'asr':
      return [
        { field: 'next', target: node.next },
        ...(node.noInput ? [{ field: 'noInput', target: node.noInput }] : []),
      ];
    case 'play':
    case 'say':
    case 'set':
      return [{ field: 'next', target: node.next }];
    case 'condition':
      return [
        { field: 'then', target: node.then },
        { field: 'else', target: node.else },
      ];
    case 'hours':
      return [
        { field: 'open', target: node.open },
        { field: 'closed', target: node.closed },
      ];
    case 'lookup':
      return [
        { field: 'found', target: node.found },
        { field: 'notFound', target: node.notFound },
      ];
    case 'queue':
    case 'hangup':
      return [];
    default:
      return extraNodeLinks(node);
  }
}

export const flowDocument = z
  .strictObject({
    name: z.string().min(1).max(100),
    description: z.string().max(1000).optional(),
    start: nodeId,
    nodes: z.record(nodeId, flowNode),
  })
  .superRefine((flow, ctx) => {
    // Dangling references are refused by the schema itself, so no stored flow can name a node
    // that is not there (the runner treats that as a bug).
    const ids = new Set(Object.keys(flow.nodes));
    if (!ids.has(flow.start)) {
      ctx.addIssue({
        code: 'custom',
        path: ['start'],
        message: `The start node "${flow.start}" does not exist.`,
      });
    }
    for (const [id, node] of Object.entries(flow.nodes)) {
      // Refinements also run beside non-fatal issues (a number out of range), so a node may be
      // only partly valid here: read its links defensively.
      let links: { field: string; target: string }[];
      try {
        links = nodeLinks(node) ?? [];
      } catch {
        continue;
      }
      for (const link of links) {
        if (ids.has(link.target)) continue;
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', id, ...link.field.split('.')],
          message: `${link.field} points to node "${link.target}", which does not exist.`,
        });
      }
    }
  });
/** A flow as written (defaults may be left out). */
export type FlowDocumentInput = z.input<typeof flowDocument>;
/** A flow as parsed, with defaults filled in: what the runner gets. */
export type FlowDocument = z.infer<typeof flowDocument>;
