// Routing engine example: `node examples/routing-example.ts` (Node 24).
// Two queues of one organization, three operators, a few calls: who gets what,
// an offer that rings out, an overflow step, and every transition as an event.
import { createRouter, type RoutingEvent } from '../packages/engine/src/index.ts';

const start = Date.UTC(2025, 2, 3, 9, 0, 0); // Monday 3 March 2025, 09:00 UTC (times print in UTC)
const at = (seconds: number) => start + seconds * 1000;

const router = createRouter({
  queues: [
    {
      id: 'donor-care-it',
      organizationId: 'bisturi-gentile',
      channel: 'voice',
      skills: "language == 'it' && donor_care >= 5",
      strategy: 'longest-idle',
      wrapUpSeconds: 10,
      // After 30 s waiting, agents with some donor care (≥ 2) may take the call too.
      overflow: [{ afterSeconds: 30, skills: "language == 'it' && donor_care >= 2" }],
    },
    {
      id: 'welcome-calls',
      organizationId: 'bisturi-gentile',
      channel: 'voice',
      direction: 'outbound',
      skills: 'donor_care >= 1',
    },
  ],
  offerTimeoutSeconds: 15,
});

const operators = [
  { id: 'giulia', skills: { donor_care: 8 } },
  { id: 'marco', skills: { donor_care: 6 } },
  { id: 'sara', skills: { donor_care: 3 } },
];
const log: RoutingEvent[] = [];
for (const [i, { id, skills }] of operators.entries()) {
  router.addAgent(
    {
      id,
      organizations: ['bisturi-gentile'],
      skills,
      attributes: { language: 'it' },
      capacity: { voice: 1 },
    },
    at(i),
  );
  log.push(...router.setAgentState(id, 'available', at(i)));
}

log.push(...router.enqueue({ id: 'welcome-1', queueId: 'welcome-calls' }, at(5))); // outbound preview
log.push(...router.enqueue({ id: 'call-1', queueId: 'donor-care-it' }, at(6)));
log.push(...router.accept('welcome-1', 'giulia', at(7)));
log.push(...router.enqueue({ id: 'call-2', queueId: 'donor-care-it' }, at(8)));
log.push(...router.accept('call-1', 'marco', at(9)));
// Nobody qualified is free for call-2: it waits, then overflows to sara at 38 s;
// sara does not answer, the offer rings out at 53 s and call-2 waits again in its place.
log.push(...router.tick(at(60)));
log.push(...router.complete('call-1', at(70)));
log.push(...router.accept('call-2', 'marco', at(85)));

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
for (const event of log) {
  const who = 'agentId' in event ? event.agentId : '';
  const what = 'taskId' in event ? `${event.taskId} ${event.queueId}` : `${event.from} → ${event.to}`;
  console.log(`${clock(event.at)}  ${event.type.padEnd(20)} ${what.padEnd(26)} ${who}`);
}
console.log(router.queueStats('donor-care-it', at(85)));
