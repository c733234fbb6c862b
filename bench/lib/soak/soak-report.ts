import type { Row } from '../measure.ts';
import type { EditSighting } from './edit-watch.ts';
import type { ChaosEvent } from './soak-chaos.ts';
import type { SoakResult } from './soak-run.ts';
import type { SoakError } from './soak-tracker.ts';

const IMPL = '3 instances, Redis Cluster 3x2';
/** Errors this long after a fault ended still count as that fault's. */
const WINDOW_TAIL_MS = 5000;

/** The fault an error happened in (`calm` when none). */
function windowOf(error: SoakError, chaos: readonly ChaosEvent[]): string {
  const fault = chaos.find((c) => error.at >= c.at && error.at <= c.endedAt + WINDOW_TAIL_MS);
  return fault === undefined ? 'calm' : fault.kind;
}

/** Errors counted by operation, kind and fault window. */
export function errorsByKind(result: SoakResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const error of result.tracker.errors) {
    const key = `${error.operation} | ${error.kind} | ${windowOf(error, result.chaos)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Per fault: how long clients saw errors after it (last error in its window - kill). */
export function clientDisruption(
  result: SoakResult,
): { event: ChaosEvent; errors: number; ms: number }[] {
  return result.chaos.map((event) => {
    const inside = result.tracker.errors.filter(
      (e) => e.at >= event.at && e.at <= event.endedAt + WINDOW_TAIL_MS,
    );
    const last = Math.max(event.at, ...inside.map((e) => e.at));
    return { event, errors: inside.length, ms: last - event.at };
  });
}

/** Delays of every sighting, and the counts of the other outcomes. */
export function visibility(sightings: readonly EditSighting[][]) {
  const all = sightings.flat();
  const delays = all
    .flatMap((s) => (s.outcome === 'seen' ? [s.delayMs] : []))
    .sort((a, b) => a - b);
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(delays.length * q))] ?? 0;
  return {
    edits: sightings.length,
    sightings: delays.length,
    p50: at(0.5),
    p99: at(0.99),
    max: delays.at(-1) ?? 0,
    over1s: delays.filter((d) => d > 1000).length,
    notSeen: all.filter((s) => s.outcome === 'not seen').length,
    down: all.filter((s) => s.outcome === 'down').length,
    /** Edits every running instance saw within 1 s. */
    editsAllWithin1s: sightings.filter((row) =>
      row.every((s) => s.outcome === 'down' || (s.outcome === 'seen' && s.delayMs <= 1000)),
    ).length,
  };
}

/** Every sighting that was not within 1 s: when (s after the start), which instance, what. */
export function lateSightings(result: SoakResult) {
  return result.watch.sightings.flatMap((row, edit) =>
    row.flatMap((s, instance) =>
      s.outcome === 'not seen' || (s.outcome === 'seen' && s.delayMs > 1000)
        ? [
            {
              atS: Math.round((result.watch.editTimes[edit]! - result.startedAt) / 100) / 10,
              instance,
              ...s,
              window: windowOf(
                { operation: 'admin.button', kind: '', at: result.watch.editTimes[edit]! },
                result.chaos,
              ),
            },
          ]
        : [],
    ),
  );
}

/** The result rows of bench/results/soak.json. */
export function soakRows(result: SoakResult): Row[] {
  const rows: Row[] = [];
  const add = (c: string, metric: string, value: number, unit: string, impl = IMPL) =>
    rows.push({ case: c, impl, metric, value: Math.round(value * 100) / 100, unit });
  add('soak', 'duration', result.durationMs / 1000, 's');
  const t = result.tracker;
  for (const [op, sent] of t.sent) {
    add(op, 'sent', sent, 'ops');
    add(op, 'acked', t.acked.get(op) ?? 0, 'ops');
    add(op, 'retried', t.retried.get(op) ?? 0, 'ops');
    add(op, 'given up', t.givenUp.get(op) ?? 0, 'ops');
    add(op, 'rate', sent / (result.durationMs / 1000), 'ops/s');
  }
  for (const [kind, count] of errorsByKind(result)) add('errors', kind, count, 'attempts');
  for (const { event, errors, ms } of clientDisruption(result)) {
    add(
      event.kind,
      event.kind === 'instance-kill' ? 'restart' : 'failover',
      event.recoveredMs,
      'ms',
    );
    add(event.kind, 'client errors', errors, 'attempts');
    add(event.kind, 'client disruption', ms, 'ms');
  }
  const inv = result.invariants;
  add('invariant', 'users', inv.users, 'users');
  add('invariant', 'balance != ledger', inv.balanceNotLedger, 'users');
  add('invariant', 'held != pending payouts', inv.heldNotPending, 'users');
  add('invariant', 'balance != client acks', inv.balanceNotClient, 'users');
  for (const [kind, n] of Object.entries(inv.missing))
    add('invariant', `acked ${kind} missing`, n, 'writes');
  add('invariant', 'bot updates logged twice', inv.duplicateUpdates, 'updates');
  add('invariant', 'last edits kept', inv.lastEditsKept ? 1 : 0, 'bool');
  const v = visibility(result.watch.sightings);
  add('admin edit visibility', 'p50', v.p50, 'ms');
  add('admin edit visibility', 'p99', v.p99, 'ms');
  add('admin edit visibility', 'max', v.max, 'ms');
  add('admin edit visibility', 'edits', v.edits, 'edits');
  add(
    'admin edit visibility',
    'edits seen by every running instance within 1 s',
    v.editsAllWithin1s,
    'edits',
  );
  add('admin edit visibility', 'sightings over 1 s', v.over1s, 'sightings');
  add('admin edit visibility', 'not seen within 3 s', v.notSeen, 'sightings');
  add('admin edit visibility', 'instance down', v.down, 'sightings');
  return rows;
}

/** The readable summary printed at the end. */
export function soakSummary(result: SoakResult): string {
  const t = result.tracker;
  const lines = [
    `soak: ${result.durationMs / 1000} s, ${IMPL}`,
    '',
    'load (sent / acked / retried / given up):',
  ];
  for (const [op, sent] of t.sent)
    lines.push(
      `  ${op.padEnd(18)} ${sent} / ${t.acked.get(op) ?? 0} / ${t.retried.get(op) ?? 0} / ${t.givenUp.get(op) ?? 0}  (${(sent / (result.durationMs / 1000)).toFixed(1)}/s)`,
    );
  lines.push('', 'failed attempts (operation | kind | fault window):');
  const errors = [...errorsByKind(result)].sort((a, b) => b[1] - a[1]);
  if (errors.length === 0) lines.push('  none');
  for (const [kind, n] of errors) lines.push(`  ${String(n).padStart(5)}  ${kind}`);
  lines.push('', 'faults:');
  for (const { event, errors: n, ms } of clientDisruption(result))
    lines.push(
      `  ${event.kind} (${event.kind === 'instance-kill' ? `instance ${event.target}` : `:${event.target}`}) at +${Math.round((event.at - result.startedAt) / 1000)} s: recovered in ${Math.round(event.recoveredMs)} ms; clients saw ${n} failed attempts over ${ms} ms`,
    );
  const inv = result.invariants;
  lines.push(
    '',
    'invariants:',
    `  balance == ledger: ${inv.users - inv.balanceNotLedger}/${inv.users} users`,
    `  held == pending payouts: ${inv.users - inv.heldNotPending}/${inv.users} users`,
    `  balance == client's acked rewards - payouts: ${inv.balanceNotClient} mismatches`,
    `  acknowledged writes missing from PostgreSQL: ${JSON.stringify(inv.missing)}`,
    `  bot updates logged twice (redelivered after a lost answer): ${inv.duplicateUpdates}`,
    `  last admin edits kept: ${inv.lastEditsKept}`,
  );
  const v = visibility(result.watch.sightings);
  lines.push(
    '',
    `admin edits seen on every instance (/sync socket per instance): ${v.edits} edits`,
    `  delay p50 ${v.p50} ms, p99 ${v.p99} ms, max ${v.max} ms; ${v.editsAllWithin1s}/${v.edits} edits seen by every running instance within 1 s`,
    `  ${v.over1s} sightings over 1 s, ${v.notSeen} not seen within 3 s, ${v.down} while the instance was down`,
  );
  for (const late of lateSightings(result))
    lines.push(
      `  late: edit at +${late.atS} s, instance ${late.instance}: ${late.outcome === 'seen' ? `${late.delayMs} ms` : late.outcome} (${late.window})`,
    );
  return lines.join('\n');
}
