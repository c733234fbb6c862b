import type pg from 'pg';
import type { SoakAcks } from './soak-load.ts';

/** The invariants, checked in PostgreSQL after the load stopped and every fault healed. */
export interface SoakInvariants {
  /** Users whose `balance_minor` differs from the sum of their ledger entries. */
  readonly balanceNotLedger: number;
  /** Users whose `held_minor` differs from the sum of their pending payouts. */
  readonly heldNotPending: number;
  /** Mini App users whose balance differs from what the client was told (rewards - payouts). */
  readonly balanceNotClient: number;
  readonly users: number;
  /** Acknowledged writes missing from PostgreSQL, per kind. */
  readonly missing: {
    readonly updates: number;
    readonly completions: number;
    readonly payouts: number;
    readonly edits: number;
  };
  /** Bot updates logged more than once (a retry of an update whose answer was lost). */
  readonly duplicateUpdates: number;
  /** The button and settings hold the last acknowledged edit. */
  readonly lastEditsKept: boolean;
}

/** Check every invariant against the platform's tables (`schema`, default `platform`). */
export async function checkInvariants(
  sql: pg.Pool,
  acks: SoakAcks,
  buttonId: number,
  schema = 'platform',
): Promise<SoakInvariants> {
  const s = schema;
  const ledger = await sql.query<{
    telegram_id: string;
    balance: string;
    held: string;
    ledger: string;
    pending: string;
  }>(
    `SELECT u.telegram_id, u.balance_minor AS balance, u.held_minor AS held,
            COALESCE((SELECT sum(amount_minor) FROM ${s}.ledger l WHERE l.user_id = u.id), 0) AS ledger,
            COALESCE((SELECT sum(amount_minor) FROM ${s}.payouts p WHERE p.user_id = u.id AND p.status = 'pending'), 0) AS pending
       FROM ${s}.users u`,
  );
  const expected = new Map<string, number>();
  for (const c of acks.completions)
    expected.set(String(c.telegramId), (expected.get(String(c.telegramId)) ?? 0) + c.rewardMinor);
  for (const p of acks.payouts)
    expected.set(String(p.telegramId), (expected.get(String(p.telegramId)) ?? 0) - p.amountMinor);
  const byTelegram = new Map(ledger.rows.map((r) => [r.telegram_id, Number(r.balance)]));
  return {
    users: ledger.rows.length,
    balanceNotLedger: ledger.rows.filter((r) => r.balance !== r.ledger).length,
    heldNotPending: ledger.rows.filter((r) => r.held !== r.pending).length,
    balanceNotClient: [...expected].filter(([id, minor]) => byTelegram.get(id) !== minor).length,
    missing: {
      updates: await missingUpdates(sql, s, acks),
      completions: await missingCompletions(sql, s, acks),
      payouts: await missingPayouts(sql, s, acks),
      edits: await missingEdits(sql, s, acks),
    },
    duplicateUpdates: await duplicateUpdates(sql, s, acks),
    lastEditsKept: await lastEditsKept(sql, s, acks, buttonId),
  };
}

async function missingUpdates(sql: pg.Pool, s: string, acks: SoakAcks): Promise<number> {
  const texts = acks.updates.map((u) => u.text);
  const found = await sql.query<{ n: string }>(
    `SELECT count(DISTINCT text) AS n FROM ${s}.messages WHERE direction = 'in' AND text = ANY($1)`,
    [texts],
  );
  return new Set(texts).size - Number(found.rows[0]!.n);
}

async function duplicateUpdates(sql: pg.Pool, s: string, acks: SoakAcks): Promise<number> {
  const found = await sql.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT text FROM ${s}.messages WHERE direction = 'in' AND text = ANY($1)
       GROUP BY text HAVING count(*) > 1) d`,
    [acks.updates.map((u) => u.text)],
  );
  return Number(found.rows[0]!.n);
}

async function missingCompletions(sql: pg.Pool, s: string, acks: SoakAcks): Promise<number> {
  const rows = await sql.query<{ pair: string }>(
    `SELECT u.telegram_id || ':' || c.task_id AS pair FROM ${s}.task_completions c
       JOIN ${s}.users u ON u.id = c.user_id WHERE c.status = 'completed'`,
  );
  const present = new Set(rows.rows.map((r) => r.pair));
  return acks.completions.filter((c) => !present.has(`${c.telegramId}:${c.taskId}`)).length;
}

async function missingPayouts(sql: pg.Pool, s: string, acks: SoakAcks): Promise<number> {
  const rows = await sql.query<{
    id: number;
    telegram_id: string;
    amount_minor: string;
    idempotency_key: string;
  }>(
    `SELECT p.id, u.telegram_id, p.amount_minor, p.idempotency_key FROM ${s}.payouts p
       JOIN ${s}.users u ON u.id = p.user_id`,
  );
  const present = new Map(rows.rows.map((r) => [r.id, r]));
  return acks.payouts.filter((p) => {
    const row = present.get(p.payoutId);
    return (
      row === undefined ||
      row.telegram_id !== String(p.telegramId) ||
      Number(row.amount_minor) !== p.amountMinor ||
      row.idempotency_key !== p.key
    );
  }).length;
}

async function missingEdits(sql: pg.Pool, s: string, acks: SoakAcks): Promise<number> {
  const rows = await sql.query<{ value: string | null }>(
    `SELECT coalesce(new_value->>'label', new_value->>'welcomeText') AS value FROM ${s}.audit_log
       WHERE outcome = 'ok' AND action IN ('buttons.update', 'settings.update')`,
  );
  const audited = new Set(rows.rows.map((r) => r.value));
  return acks.edits.filter((e) => !audited.has(e.value)).length;
}

async function lastEditsKept(
  sql: pg.Pool,
  s: string,
  acks: SoakAcks,
  buttonId: number,
): Promise<boolean> {
  const lastButton = acks.edits.filter((e) => e.kind === 'button').at(-1)?.value;
  const lastSettings = acks.edits.filter((e) => e.kind === 'settings').at(-1)?.value;
  const button = await sql.query<{ label: string }>(
    `SELECT label FROM ${s}.buttons WHERE id = $1`,
    [buttonId],
  );
  const settings = await sql.query<{ text: string }>(
    `SELECT value #>> '{}' AS text FROM ${s}.settings WHERE key = 'welcomeText'`,
  );
  return (
    (lastButton === undefined || button.rows[0]?.label === lastButton) &&
    (lastSettings === undefined || settings.rows[0]?.text === lastSettings)
  );
}
