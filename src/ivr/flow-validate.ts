/**
 * Flow validation for editors (issue #5): every problem names the node it is in (null for the
 * document itself), the field inside that node (`choices.1`, `timeoutSec`; null for the node as
 * a whole) and says what is wrong in a sentence. Structure first (the zod schema); once the
 * structure holds, the graph: reachability, loops with no way out, ranges that depend on each
 * other, templates and variables, time zones, and — when the caller gives the list — skill groups.
 */
import type { z } from 'zod';
import { knownTimeZone } from './business-hours.ts';
import { flowDocument, lookupVariables, nodeLinks, type FlowDocument, type FlowNode } from './flow-schema.ts';
import { asrNodeErrors } from './asr-validate.ts';
import { extraNodeErrors, extraVerbVariables } from './verb-validate.ts';
import { extraVerbs } from './verb-nodes.ts';
import { templatePlaceholders, templateProblems } from './flow-template.ts';

export interface FlowError {
  node: string | null;
  field: string | null;
  message: string;
}

export interface FlowValidation {
  valid: boolean;
  errors: FlowError[];
  /** The parsed flow (defaults filled in) when it is valid. */
  flow: FlowDocument | null;
}

export interface FlowValidationContext {
  /** Skill group names a queue node may use; omitted: not checked (no database at hand). */
  groups?: ReadonlySet<string>;
}

/** Variables every call has before the first node: the caller's number and the number dialled. */
export const builtinVariables = ['caller', 'dnis'] as const;

type Issue = z.core.$ZodIssue;
type PathPart = PropertyKey;

const verbs = [
  'menu',
  'play',
  'say',
  'gather',
  'asr',
  'set',
  'condition',
  'hours',
  'lookup',
  'queue',
  'hangup',
  ...extraVerbs,
];

/** ['nodes', 'a', 'choices', '1'] → node "a", field "choices.1"; ['start'] → node null. */
function locate(path: readonly PathPart[]): { node: string | null; field: string | null } {
  const parts = path.map(String);
  if (parts[0] === 'nodes' && parts.length >= 2) {
    const rest = parts.slice(2);
    return { node: parts[1]!, field: rest.length > 0 ? rest.join('.') : null };
  }
  return { node: null, field: parts.length > 0 ? parts.join('.') : null };
}

function typeName(expected: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    record: 'an object',
  };
  return names[expected] ?? expected;
}

function sizeWord(origin: string, n: number | bigint): string {
  if (origin === 'string') return `${n} character${n === 1 ? '' : 's'}`;
  if (origin === 'array') return `${n} item${n === 1 ? '' : 's'}`;
  return String(n);
}

/** One zod issue as sentences at their place in the flow. */
function fromIssue(issue: Issue, prefix: readonly PathPart[] = []): FlowError[] {
  const path = [...prefix, ...issue.path];
  const at = locate(path);
  const label = at.field ?? (at.node ? `Node "${at.node}"` : 'The flow');
  const error = (message: string, where = at): FlowError => ({ ...where, message });
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return [error(`${label} is required.`)];
      return [error(`${label} must be ${typeName(issue.expected)}.`)];
    case 'too_small': {
      if (issue.origin === 'string' && Number(issue.minimum) === 1)
        return [error(`${label} must not be empty.`)];
      if (issue.origin === 'array' || issue.origin === 'string')
        return [error(`${label} needs at least ${sizeWord(issue.origin, issue.minimum)}.`)];
      return [error(`${label} must be at least ${issue.minimum}.`)];
    }
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'string')
        return [error(`${label} may have at most ${sizeWord(issue.origin, issue.maximum)}.`)];
      return [error(`${label} must be at most ${issue.maximum}.`)];
    case 'invalid_format':
      return [error(`${label} ${issue.message}.`)];
    case 'invalid_value':
      return [error(`${label} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`)];
    case 'not_multiple_of':
      return [error(`${label} must be a multiple of ${issue.divisor}.`)];
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const where = locate([...path, key]);
        const owner = where.node ? `a ${nodeVerb(issue.input)} node` : 'a flow';
        return error(`"${key}" is not a field of ${owner}.`, where);
      });
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const inner = issue.issues[0]?.message ?? 'is not allowed';
      if (path.length === 2 && path[0] === 'nodes') {
        const rule = 'a lower-case letter, then lower-case letters, digits, "_" or "-"';
        return [error(`"${key}" is not a valid node id; use ${rule}.`, { node: key, field: null })];
      }
      return [error(`"${key}" ${inner}.`)];
    }
    case 'invalid_union':
      return fromUnion(issue, path, label);
    case 'custom':
      return [error(issue.message)];
    default:
      return [error(`${label}: ${(issue as { message: string }).message}.`)];
  }
}

function nodeVerb(input: unknown): string {
  const verb = (input as { verb?: unknown } | undefined)?.verb;
  return typeof verb === 'string' ? verb : 'flow';
}

function fromUnion(issue: z.core.$ZodIssueInvalidUnion, path: PathPart[], label: string): FlowError[] {
  const at = locate(path);
  if (issue.discriminator === 'verb') {
    const input = issue.input as { verb?: unknown } | undefined;
    const message =
      input?.verb === undefined
        ? `Every node needs a verb: one of ${verbs.join(', ')}.`
        : `"${String(input.verb)}" is not a verb; use one of ${verbs.join(', ')}.`;
    return [{ ...at, message }];
  }
  // A prompt item: report the branch the author evidently meant (tts or file), else both shapes.
  const input = issue.input as Record<string, unknown> | undefined;
  const meant = input && typeof input === 'object' ? ('tts' in input ? 0 : 'file' in input ? 1 : -1) : -1;
  const branch = meant >= 0 ? issue.errors[meant] : undefined;
  if (branch && branch.length > 0) return branch.flatMap((inner) => fromIssue(inner, path));
  return [
    {
      ...at,
      message: `${label} must be a prompt: {"tts": text, "lang": "zh" or "en"} to speak, or {"file": path} to play.`,
    },
  ];
}

/** Tarjan's strongly connected components over `edges` (ids in document order). */
function components(ids: string[], edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      out.push(scc);
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return out;
}

/** Verbs that move on by themselves: a loop made only of these never asks the caller anything. */
const automatic = new Set<FlowNode['verb']>(['play', 'say', 'set', 'condition', 'hours', 'lookup']);

function graphErrors(flow: FlowDocument, context: FlowValidationContext): FlowError[] {
  const errors: FlowError[] = [];
  const ids = Object.keys(flow.nodes);
  const add = (node: string | null, field: string | null, message: string) =>
    errors.push({ node, field, message });

  // Reachability from the start node.
  const seen = new Set<string>([flow.start]);
  const todo = [flow.start];
  while (todo.length > 0) {
    const node = flow.nodes[todo.pop()!];
    if (!node) continue;
    for (const { target } of nodeLinks(node)) {
      if (!seen.has(target)) {
        seen.add(target);
        todo.push(target);
      }
    }
  }
  for (const id of ids) {
    if (!seen.has(id))
      add(
        id,
        null,
        `Node "${id}" cannot be reached from the start node "${flow.start}"; link to it or delete it.`,
      );
  }

  // Loops with no way out: nodes that move on by themselves, leading only to each other.
  const edges = new Map<string, string[]>();
  for (const id of ids) {
    const node = flow.nodes[id]!;
    if (automatic.has(node.verb))
      edges.set(
        id,
        nodeLinks(node).map((l) => l.target),
      );
  }
  for (const scc of components([...edges.keys()], edges)) {
    const members = new Set(scc);
    const first = ids.find((id) => members.has(id))!;
    const links = nodeLinks(flow.nodes[first]!);
    const looping = scc.length > 1 || links.some((l) => l.target === first);
    if (!looping) continue;
    const closed = scc.every((id) => nodeLinks(flow.nodes[id]!).every((l) => members.has(l.target)));
    if (!closed) continue;
    const field = links.find((l) => members.has(l.target))?.field ?? null;
    const cycle = ids.filter((id) => members.has(id)).join('", "');
    add(
      first,
      field,
      `Nodes "${cycle}" loop forever without asking the caller anything; give the loop a way out.`,
    );
  }

  // Variables a template or condition may read: built-ins, whatever a gather or set stores, and
  // what a lookup's source sets when found.
  const known = new Set<string>(builtinVariables);
  for (const node of Object.values(flow.nodes)) {
    if (node.verb === 'gather' || node.verb === 'set') known.add(node.variable);
    if (node.verb === 'asr') known.add(node.into);
    if (node.verb === 'lookup') for (const v of lookupVariables[node.source]) known.add(v);
    for (const v of extraVerbVariables(node)) known.add(v);
  }
  const unset = 'is not set by any gather, set or lookup node, nor by the call (caller, dnis).';
  const checkTemplate = (id: string, field: string, text: string) => {
    const problems = templateProblems(text);
    for (const p of problems) add(id, field, p);
    if (problems.length > 0) return;
    for (const { variable } of templatePlaceholders(text)) {
      if (!known.has(variable)) add(id, field, `{${variable}} ${unset}`);
    }
  };

  for (const id of ids) {
    const node = flow.nodes[id]!;
    switch (node.verb) {
      case 'menu':
        if (Object.keys(node.choices).length === 0)
          add(id, 'choices', 'A menu needs at least one choice (a DTMF key and the node it leads to).');
        break;
      case 'gather':
        if (node.minLength > node.maxLength)
          add(
            id,
            'minLength',
            `minLength (${node.minLength}) must not be greater than maxLength (${node.maxLength}).`,
          );
        if (node.pattern !== undefined && !compiles(node.pattern))
          add(id, 'pattern', `"${node.pattern}" is not a valid regular expression.`);
        break;
      case 'asr':
        for (const e of asrNodeErrors(node)) add(id, e.field, e.message);
        break;
      case 'say':
        checkTemplate(id, 'text', node.text);
        break;
      case 'set':
        checkTemplate(id, 'value', node.value);
        break;
      case 'condition':
        if (!known.has(node.variable)) add(id, 'variable', `"${node.variable}" ${unset}`);
        if (node.op !== 'matches') checkTemplate(id, 'value', node.value);
        else if (!compiles(node.value))
          add(id, 'value', `"${node.value}" is not a valid regular expression.`);
        if (['lt', 'le', 'gt', 'ge'].includes(node.op) && !/\{/.test(node.value) && !isNumber(node.value))
          add(id, 'value', `The "${node.op}" comparison needs a number, not "${node.value}".`);
        break;
      case 'hours':
        if (!knownTimeZone(node.timeZone))
          add(id, 'timeZone', `"${node.timeZone}" is not a known time zone (for example "Asia/Shanghai").`);
        node.windows.forEach((w, i) => {
          if (w.from === w.to)
            add(id, `windows.${i}.to`, `The window opens and closes at the same time (${w.from}).`);
          const dup = w.days.find((d, j) => w.days.indexOf(d) !== j);
          if (dup !== undefined) add(id, `windows.${i}.days`, `Day ${dup} is listed twice.`);
        });
        break;
      case 'lookup':
        if (node.input === undefined && node.source === 'waybill')
          add(id, 'input', 'A waybill lookup needs input: the variable holding the waybill number.');
        else if (node.input !== undefined && !known.has(node.input))
          add(id, 'input', `"${node.input}" ${unset}`);
        break;
      case 'queue':
        if (context.groups && !context.groups.has(node.group))
          add(id, 'group', `Skill group "${node.group}" does not exist.`);
        break;
      default:
        for (const e of extraNodeErrors(node, {
          groups: context.groups,
          checkTemplate: (field, text) => checkTemplate(id, field, text),
        }))
          add(id, e.field, e.message);
        break;
    }
  }
  return errors;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function isNumber(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}

export function validateFlow(input: unknown, context: FlowValidationContext = {}): FlowValidation {
  const parsed = flowDocument.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((issue) => fromIssue(issue));
    return { valid: false, errors: dedupe(errors), flow: null };
  }
  const errors = graphErrors(parsed.data, context);
  return errors.length > 0
    ? { valid: false, errors: dedupe(errors), flow: null }
    : { valid: true, errors: [], flow: parsed.data };
}

function dedupe(errors: FlowError[]): FlowError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.node}\u0000${e.field}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
