/**
 * The short soak: `npm run soak`'s code for 45 s instead of 5 minutes, with one Redis master
 * killed (the cluster fails over) and one server instance killed and restarted. Asserts the
 * invariants; the timings are printed, not asserted.
 */
import { expect, it } from 'vitest';
import { errorsByKind, soakSummary, visibility } from '../../../../bench/lib/soak/soak-report.ts';
import { runSoak, type SoakResult } from '../../../../bench/lib/soak/soak-run.ts';

it('keeps every invariant through a Redis failover and an instance crash (45 s of mixed load)', async () => {
  const result: SoakResult = await runSoak({ durationMs: 45_000 });
  console.log(soakSummary(result));

  expect(result.chaos.map((c) => c.kind)).toEqual(['redis-master-kill', 'instance-kill']);
  const { tracker, invariants, acks } = result;
  for (const op of ['bot.update', 'miniapp.complete', 'miniapp.payout', 'admin.button'] as const)
    expect(tracker.acked.get(op) ?? 0).toBeGreaterThan(0);
  // The only failures: requests a killed (or restarting) instance dropped, which clients
  // retried; nothing was given up or refused.
  expect(Object.fromEntries(tracker.givenUp)).toEqual({});
  for (const kind of errorsByKind(result).keys())
    expect(kind).toMatch(/^\S+ \| (transport: .*|http 503 UNAVAILABLE) \| instance-kill$/);

  expect(invariants.balanceNotLedger).toBe(0);
  expect(invariants.heldNotPending).toBe(0);
  expect(invariants.balanceNotClient).toBe(0);
  expect(invariants.missing).toEqual({ updates: 0, completions: 0, payouts: 0, edits: 0 });
  expect(invariants.lastEditsKept).toBe(true);
  expect(acks.updates.length).toBe(tracker.acked.get('bot.update'));

  // Every acknowledged admin edit reached every instance that was running.
  const seen = visibility(result.watch.sightings);
  expect(seen.edits).toBe(acks.edits.length);
  expect(seen.notSeen).toBe(0);
}, 300_000);
