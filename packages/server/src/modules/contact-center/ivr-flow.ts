// IVR flows as graphs: what a caller hears and presses, from the entry node to
// a queue, a message, a voicemail, a callback or a hang-up. validateIvrFlow is
// pure (no database): the service passes the organization's queue keys.
import type { OpeningHours, WeeklyPeriod } from '../../db/schema.ts';
import type { ProblemField } from '../../http/errors.ts';
import { dateListProblems, timeZoneProblems, weeklyProblems } from './weekly-hours.ts';

export type IvrNode =
  /** Business hours and holidays: `open` or `closed` next (Europe/Rome unless hours.timeZone). */
  | { type: 'hours'; hours: OpeningHours; open: string; closed: string }
  /**
   * Plays `prompt`, waits `timeoutSeconds` for a digit; no digit or a digit not
   * in `digits` replays it up to `retries` times, then goes to `onFailure`
   * (absent: hang up).
   */
  | {
      type: 'menu';
      prompt: string;
      digits: Record<string, string>;
      timeoutSeconds: number;
      retries: number;
      onFailure?: string;
    }
  | { type: 'queue'; queue: string }
  /** A message (the closed message); then `next`, or the call ends. */
  | { type: 'message'; prompt: string; next?: string }
  /**
   * Offers a call back from `queue` (a task that keeps the caller's place): the
   * prompt asks for 1 to accept. Accepted: `accepted` goes on, if given, else a
   * "we will call you back" message and the end of the call. Declined (any
   * other key or none): `declined` goes on, if given, else the call ends.
   */
  | { type: 'callback_offer'; prompt: string; queue: string; accepted?: string; declined?: string }
  /** Records a message that becomes a task of `queue`. */
  | { type: 'voicemail'; prompt: string; queue: string; maxSeconds: number }
  | { type: 'hangup' };

export type IvrNodeType = IvrNode['type'];
export type IvrFlowDefinition = { entry: string; nodes: Record<string, IvrNode> };

export const IVR_NODE_TYPES: readonly IvrNodeType[] = [
  'hours',
  'menu',
  'queue',
  'message',
  'callback_offer',
  'voicemail',
  'hangup',
];

const NODE_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const DIGIT = /^[0-9*#]$/;
export const MAX_IVR_NODES = 200;
/** Menu limits: a caller who hears nothing for 30 s has gone; five replays is already a lot. */
export const MENU_TIMEOUT_SECONDS = { min: 1, max: 30 } as const;
export const MENU_RETRIES = { min: 0, max: 5 } as const;
export const VOICEMAIL_SECONDS = { min: 10, max: 600 } as const;

// Which properties of each node type name another node.
const TARGETS: Record<IvrNodeType, readonly string[]> = {
  hours: ['open', 'closed'],
  menu: ['onFailure'],
  queue: [],
  message: ['next'],
  callback_offer: ['accepted', 'declined'],
  voicemail: [],
  hangup: [],
};

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The nodes a node can lead to, whatever the caller does. */
function successors(node: Raw): string[] {
  const type = node.type as IvrNodeType;
  const next: string[] = [];
  for (const key of TARGETS[type] ?? []) if (typeof node[key] === 'string') next.push(node[key] as string);
  if (type === 'menu' && isObject(node.digits))
    for (const target of Object.values(node.digits)) if (typeof target === 'string') next.push(target);
  return next;
}

/**
 * Whether the caller's path can end at this node: a queue, a voicemail, a
 * callback offer, a hang-up, a message with nothing after it, and a menu
 * without onFailure (the call ends after the last retry).
 */
function canEnd(node: Raw): boolean {
  switch (node.type) {
    case 'queue':
    case 'voicemail':
    case 'callback_offer':
    case 'hangup':
      return true;
    case 'message':
      return node.next === undefined;
    case 'menu':
      return node.onFailure === undefined;
    default:
      return false;
  }
}

/**
 * Every problem of a flow, each naming its field under `field` (default
 * `body.definition`): unknown node types, missing or malformed properties,
 * targets that do not exist, digits other than 0-9 * #, timeouts and retries
 * out of range, queues the organization does not have (when `queueKeys` is
 * given), nodes the entry never reaches, and nodes from which no path reaches
 * an end (a loop with no way out). An empty list means the flow is valid.
 */
export function validateIvrFlow(
  definition: unknown,
  options: { queueKeys?: ReadonlySet<string>; field?: string } = {},
): ProblemField[] {
  const base = options.field ?? 'body.definition';
  const problems: ProblemField[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (!isObject(definition)) return [{ field: base, message: 'must be an object { entry, nodes }' }];
  const { entry, nodes } = definition;
  if (!isObject(nodes)) return [{ field: `${base}.nodes`, message: 'must be an object of nodes by id' }];
  const ids = Object.keys(nodes);
  if (ids.length === 0) return [{ field: `${base}.nodes`, message: 'must have at least one node' }];
  if (ids.length > MAX_IVR_NODES)
    return [{ field: `${base}.nodes`, message: `at most ${MAX_IVR_NODES} nodes` }];
  if (typeof entry !== 'string' || !(entry in nodes))
    add(`${base}.entry`, typeof entry === 'string' ? `no node '${entry}'` : 'must name the first node');

  const valid = new Map<string, Raw>();
  for (const id of ids) {
    const at = `${base}.nodes.${id}`;
    const node: unknown = nodes[id];
    if (!NODE_ID.test(id)) add(at, 'node ids are lower-case letters, digits, _ and -, at most 40');
    if (!isObject(node)) {
      add(at, 'must be an object with a type');
      continue;
    }
    const before = problems.length;
    nodeProblems(node, at, add, options.queueKeys);
    for (const key of TARGETS[node.type as IvrNodeType] ?? []) {
      const target: unknown = node[key];
      if (target === undefined) continue;
      if (typeof target !== 'string') add(`${at}.${key}`, 'must name a node');
      else if (!(target in nodes)) add(`${at}.${key}`, `no node '${target}'`);
    }
    if (node.type === 'menu' && isObject(node.digits)) {
      for (const [digit, target] of Object.entries(node.digits)) {
        if (!DIGIT.test(digit)) add(`${at}.digits.${digit}`, 'a key is one of 0-9, * or #');
        if (typeof target !== 'string') add(`${at}.digits.${digit}`, 'must name a node');
        else if (!(target in nodes)) add(`${at}.digits.${digit}`, `no node '${target}'`);
      }
    }
    if (problems.length === before) valid.set(id, node);
  }
  // The graph checks need every node well formed: a broken node's edges are unknown.
  if (problems.length > 0 || typeof entry !== 'string') return problems;

  const reached = new Set<string>([entry]);
  const stack = [entry];
  while (stack.length > 0) {
    for (const next of successors(valid.get(stack.pop()!)!)) {
      if (!reached.has(next)) {
        reached.add(next);
        stack.push(next);
      }
    }
  }
  for (const id of ids)
    if (!reached.has(id)) add(`${base}.nodes.${id}`, `is never reached from the entry '${entry}'`);

  // Nodes that can end: the end nodes, then backwards, every node with a successor that can.
  const ending = new Set(ids.filter((id) => canEnd(valid.get(id)!)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of ids) {
      if (!ending.has(id) && successors(valid.get(id)!).some((next) => ending.has(next))) {
        ending.add(id);
        changed = true;
      }
    }
  }
  for (const id of ids) {
    if (reached.has(id) && !ending.has(id))
      add(
        `${base}.nodes.${id}`,
        'never reaches a queue, message, callback offer, voicemail or hang-up (the caller would loop for ever)',
      );
  }
  return problems;
}

function nodeProblems(
  node: Raw,
  at: string,
  add: (field: string, message: string) => void,
  queueKeys: ReadonlySet<string> | undefined,
) {
  const text = (key: string, max = 200) => {
    const value = node[key];
    if (typeof value !== 'string' || value.length === 0 || value.length > max)
      add(`${at}.${key}`, `must be text of 1 to ${max} characters`);
  };
  const integer = (key: string, range: { min: number; max: number }) => {
    const value = node[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max)
      add(`${at}.${key}`, `must be a whole number from ${range.min} to ${range.max}`);
  };
  const queue = () => {
    const key = node.queue;
    if (typeof key !== 'string' || key === '') add(`${at}.queue`, 'must name a queue by its key');
    else if (queueKeys && !queueKeys.has(key)) add(`${at}.queue`, `the organization has no queue '${key}'`);
  };
  const required = (key: string) => {
    if (node[key] === undefined) add(`${at}.${key}`, 'is required');
  };
  const known = new Set(['type', ...(TARGETS[node.type as IvrNodeType] ?? [])]);
  switch (node.type) {
    case 'hours': {
      required('open');
      required('closed');
      const hours = node.hours;
      if (!isObject(hours) || !Array.isArray(hours.weekly)) {
        add(`${at}.hours`, 'must be { weekly: [{ days, from, to }], closedDates?, timeZone? }');
        break;
      }
      const weekly = hours.weekly as unknown[];
      const shaped = weekly.every(
        (p) => isObject(p) && Array.isArray(p.days) && typeof p.from === 'string' && typeof p.to === 'string',
      );
      if (!shaped) add(`${at}.hours.weekly`, 'each period is { days: [mon…sun], from: HH:MM, to: HH:MM }');
      else
        for (const problem of weeklyProblems(weekly as WeeklyPeriod[], `${at}.hours.weekly`))
          add(problem.field, problem.message);
      const closedDates = hours.closedDates ?? [];
      if (!Array.isArray(closedDates) || closedDates.some((d) => typeof d !== 'string'))
        add(`${at}.hours.closedDates`, 'must be a list of dates YYYY-MM-DD');
      else
        for (const problem of dateListProblems(closedDates as string[], `${at}.hours.closedDates`))
          add(problem.field, problem.message);
      if (hours.timeZone !== undefined) {
        if (typeof hours.timeZone !== 'string') add(`${at}.hours.timeZone`, 'must be an IANA time zone');
        else
          for (const problem of timeZoneProblems(hours.timeZone, `${at}.hours.timeZone`))
            add(problem.field, problem.message);
      }
      known.add('hours');
      break;
    }
    case 'menu':
      text('prompt');
      if (!isObject(node.digits) || Object.keys(node.digits).length === 0)
        add(`${at}.digits`, 'must map at least one key (0-9, *, #) to a node');
      integer('timeoutSeconds', MENU_TIMEOUT_SECONDS);
      integer('retries', MENU_RETRIES);
      for (const key of ['prompt', 'digits', 'timeoutSeconds', 'retries']) known.add(key);
      break;
    case 'queue':
      queue();
      known.add('queue');
      break;
    case 'message':
      text('prompt');
      known.add('prompt');
      break;
    case 'callback_offer':
      text('prompt');
      queue();
      known.add('prompt').add('queue');
      break;
    case 'voicemail':
      text('prompt');
      queue();
      integer('maxSeconds', VOICEMAIL_SECONDS);
      for (const key of ['prompt', 'queue', 'maxSeconds']) known.add(key);
      break;
    case 'hangup':
      break;
    default:
      add(`${at}.type`, `must be one of ${IVR_NODE_TYPES.join(', ')}`);
      return;
  }
  for (const key of Object.keys(node))
    if (!known.has(key)) add(`${at}.${key}`, `is not a property of a ${node.type} node`);
}

/** The queue keys a flow sends callers to (a queue in use by a flow cannot be deleted). */
export function ivrFlowQueueKeys(definition: IvrFlowDefinition): Set<string> {
  const keys = new Set<string>();
  for (const node of Object.values(definition.nodes)) if ('queue' in node) keys.add(node.queue);
  return keys;
}
