// The routing interface of the simulator. The simulator owns time, contacts and
// operators' shifts; a router only decides who gets what, exactly at the moments
// the live routing engine decides: a contact is queued, an operator becomes
// available, a waiting contact leaves, an idle operator logs off. Contacts and
// operators are small integers (slots), so a decision allocates nothing.
//
// `createLongestIdleRouter` is the built-in router (and the fast path for
// single-queue models); `simulate.routing-engine.ts` drives the live routing
// engine behind the same interface.

/** What a router is told about the model when a replication starts. */
export type SimulationRouterModel = {
  /** Inbound queues first, then one connect queue per outbound campaign. */
  queueIds: readonly string[];
  /** How many of queueIds are inbound queues (the rest are campaigns). */
  inboundQueueCount: number;
  /** Organization of each queue (same order as queueIds). */
  queueOrganizations: readonly string[];
  /** Operator group ids, and per group its skills: router queue indices with priorities (lower first). */
  groups: readonly { id: string; skills: readonly { queue: number; priority: number }[] }[];
  /** Group of each operator: operators are numbered 0 … operatorGroup.length − 1. */
  operatorGroup: Int32Array;
};

export type SimulationRouter = {
  readonly name: string;
  /** A contact is queued at `now`. Returns the operator to connect it to now, or −1 if it waits. */
  contactQueued(contact: number, queue: number, now: number): number;
  /** A waiting contact hangs up (or the dialer drops it); forget it. */
  contactAbandoned(contact: number, queue: number, now: number): void;
  /** An operator becomes available (logs in, or finishes wrap-up). Returns the contact to give them, or −1. */
  operatorAvailable(operator: number, now: number): number;
  /**
   * An operator logs off (end of shift or break): either idle, or just finished the
   * contact that ran past the end of the shift (then operatorAvailable is not called).
   */
  operatorLoggedOff(operator: number, now: number): void;
};

export type SimulationRouterFactory = (model: SimulationRouterModel) => SimulationRouter;

/**
 * Longest-idle-operator routing. A new contact goes to the operator with its skill
 * who has been idle longest; a free operator takes, among its skills, the queue of
 * best priority and within it (and across queues of equal priority) the contact
 * that has waited longest. Every structure is an intrusive doubly linked list on
 * typed arrays, so each decision costs O(skills of the operator).
 */
export function createLongestIdleRouter(model: SimulationRouterModel): SimulationRouter {
  const queueCount = model.queueIds.length;
  const operatorCount = model.operatorGroup.length;
  // Skills as flat arrays per group (CSR): skillQueue[skillStart[g] + k].
  const skillStart = new Int32Array(model.groups.length + 1);
  let maxSkills = 1;
  model.groups.forEach((g, i) => {
    skillStart[i + 1] = skillStart[i]! + g.skills.length;
    maxSkills = Math.max(maxSkills, g.skills.length);
  });
  const skillQueue = new Int32Array(skillStart[model.groups.length]!);
  const skillPriority = new Float64Array(skillStart[model.groups.length]!);
  model.groups.forEach((g, i) => {
    g.skills.forEach((s, k) => {
      skillQueue[skillStart[i]! + k] = s.queue;
      skillPriority[skillStart[i]! + k] = s.priority;
    });
  });
  const operatorGroup = model.operatorGroup;

  // Idle operators: one list per queue, node = operator * maxSkills + k (k-th skill).
  const idle = new Uint8Array(operatorCount);
  const idleNext = new Int32Array(operatorCount * maxSkills).fill(-1);
  const idlePrev = new Int32Array(operatorCount * maxSkills).fill(-1);
  const idleHead = new Int32Array(queueCount).fill(-1);
  const idleTail = new Int32Array(queueCount).fill(-1);

  // Waiting contacts: one FIFO list per queue over contact slots (grown on demand).
  let waitNext = new Int32Array(256);
  let waitPrev = new Int32Array(256);
  let queuedAt = new Float64Array(256);
  const waitHead = new Int32Array(queueCount).fill(-1);
  const waitTail = new Int32Array(queueCount).fill(-1);

  function growContacts(contact: number): void {
    let capacity = waitNext.length;
    while (capacity <= contact) capacity *= 2;
    const next = new Int32Array(capacity);
    next.set(waitNext);
    const prev = new Int32Array(capacity);
    prev.set(waitPrev);
    const at = new Float64Array(capacity);
    at.set(queuedAt);
    waitNext = next;
    waitPrev = prev;
    queuedAt = at;
  }

  function unlinkContact(contact: number, queue: number): void {
    const next = waitNext[contact]!;
    const prev = waitPrev[contact]!;
    if (prev >= 0) waitNext[prev] = next;
    else waitHead[queue] = next;
    if (next >= 0) waitPrev[next] = prev;
    else waitTail[queue] = prev;
  }

  function unlinkOperator(operator: number): void {
    idle[operator] = 0;
    const group = operatorGroup[operator]!;
    const from = skillStart[group]!;
    const count = skillStart[group + 1]! - from;
    for (let k = 0; k < count; k++) {
      const node = operator * maxSkills + k;
      const queue = skillQueue[from + k]!;
      const next = idleNext[node]!;
      const prev = idlePrev[node]!;
      if (prev >= 0) idleNext[prev] = next;
      else idleHead[queue] = next;
      if (next >= 0) idlePrev[next] = prev;
      else idleTail[queue] = prev;
    }
  }

  return {
    name: 'longest-idle',

    contactQueued(contact, queue, now) {
      const node = idleHead[queue]!;
      if (node >= 0) {
        const operator = (node / maxSkills) | 0;
        unlinkOperator(operator);
        return operator;
      }
      if (contact >= waitNext.length) growContacts(contact);
      queuedAt[contact] = now;
      const tail = waitTail[queue]!;
      waitPrev[contact] = tail;
      waitNext[contact] = -1;
      if (tail >= 0) waitNext[tail] = contact;
      else waitHead[queue] = contact;
      waitTail[queue] = contact;
      return -1;
    },

    contactAbandoned(contact, queue) {
      unlinkContact(contact, queue);
    },

    operatorAvailable(operator) {
      const group = operatorGroup[operator]!;
      const from = skillStart[group]!;
      const to = skillStart[group + 1]!;
      let best = -1;
      let bestQueue = -1;
      let bestPriority = Number.POSITIVE_INFINITY;
      let bestQueuedAt = Number.POSITIVE_INFINITY;
      for (let s = from; s < to; s++) {
        const queue = skillQueue[s]!;
        const contact = waitHead[queue]!;
        if (contact < 0) continue;
        const priority = skillPriority[s]!;
        const at = queuedAt[contact]!;
        if (priority < bestPriority || (priority === bestPriority && at < bestQueuedAt)) {
          best = contact;
          bestQueue = queue;
          bestPriority = priority;
          bestQueuedAt = at;
        }
      }
      if (best >= 0) {
        unlinkContact(best, bestQueue);
        return best;
      }
      // Nothing to take: join the tail of each skill's idle list (so heads are the longest idle).
      idle[operator] = 1;
      for (let s = from; s < to; s++) {
        const queue = skillQueue[s]!;
        const node = operator * maxSkills + (s - from);
        const tail = idleTail[queue]!;
        idlePrev[node] = tail;
        idleNext[node] = -1;
        if (tail >= 0) idleNext[tail] = node;
        else idleHead[queue] = node;
        idleTail[queue] = node;
      }
      return -1;
    },

    operatorLoggedOff(operator) {
      if (idle[operator] === 1) unlinkOperator(operator);
    },
  };
}
