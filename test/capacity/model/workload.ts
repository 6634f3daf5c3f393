import { MinHeap } from './heap';
import type { Access, Invocation, WorkloadInvocation } from './types';

/**
 * Turns a recorded invocation into model steps. Only the invocation's own CPU time is kept: the
 * gap before a request is what its single JS thread spent since the later of its previous send
 * and the last answer it had by then. Local DynamoDB latency therefore never enters the model;
 * the model puts AWS latency in its place.
 */
export function workloadOf(invocation: Invocation, arriveMs: number, inFlight: number): WorkloadInvocation {
  const requests = [...invocation.requests].sort((a, b) => a.sentMs - b.sentMs);
  const steps: WorkloadInvocation['steps'] = [];
  let previousSentMs = 0;
  let latestAnswerMs = 0;
  let lastAnswerMs = 0;
  // Answers of earlier requests not yet reached by a send; sends only move forward, so an answer reached stays reached.
  const unanswered = new MinHeap<number>((a, b) => a < b);
  for (const [i, request] of requests.entries()) {
    while ((unanswered.peek() ?? Infinity) <= request.sentMs) latestAnswerMs = Math.max(latestAnswerMs, unanswered.pop() as number);
    const busySince = i === 0 ? 0 : Math.max(previousSentMs, latestAnswerMs);
    steps.push({ gapMs: Math.max(0, request.sentMs - busySince), op: request.op, accesses: request.accesses });
    unanswered.push(request.answeredMs);
    previousSentMs = request.sentMs;
    lastAnswerMs = Math.max(lastAnswerMs, request.answeredMs);
  }
  return { id: invocation.id, fn: invocation.fn, arriveMs, inFlight, steps, tailMs: Math.max(0, invocation.durationMs - lastAnswerMs) };
}

const keyOf = (access: Access) => `${access.index}\u0000${access.pk}`;

/**
 * Scales a small recorded sample (say 50 sign-ins of 50 different users) to many copies. A key
 * (index and partition key, reads and writes alike) touched by exactly one recorded invocation is
 * private to it, and copy j renames it by appending `~j` to the pk; a key touched by two or more
 * invocations of the sample (the tenant item, a domain claim, a tenant-wide listing shard, a
 * client's counter) is shared, and every copy keeps it. So the sample must be recorded with
 * distinct users, and hold at least two invocations of whatever shares a key: in a sample of one,
 * everything looks private. Copy j's invocation ids end in `~j` too.
 */
export function replicate(invocations: Invocation[], copies: number): Invocation[][] {
  const touchedBy = new Map<string, Set<string>>();
  for (const invocation of invocations) {
    for (const request of invocation.requests) {
      for (const access of request.accesses) {
        const key = keyOf(access);
        const who = touchedBy.get(key) ?? new Set<string>();
        who.add(invocation.id);
        touchedBy.set(key, who);
      }
    }
  }
  const isPrivate = (access: Access) => touchedBy.get(keyOf(access))?.size === 1;
  return Array.from({ length: copies }, (_, j) =>
    invocations.map((invocation) => ({
      ...invocation,
      id: `${invocation.id}~${j}`,
      requests: invocation.requests.map((request) => ({
        ...request,
        accesses: request.accesses.map((access) => (isPrivate(access) ? { ...access, pk: `${access.pk}~${j}` } : access)),
      })),
    })),
  );
}
