import type { Migration } from '@hybridstate/identity';
import { ident } from './sql-ident.ts';

/** The default schema of the platform's tables. */
export const DEFAULT_PLATFORM_SCHEMA = 'platform';

/**
 * Seed 002's domain as versioned migrations: buttons, scenarios, tasks and their completions,
 * users with their balance and its ledger, payouts, settings, the audit log and the
 * conversation log. Money is bigint minor units; a balance can never go below zero (CHECK),
 * and the ledger's idempotency keys make a double submit credit once.
 */
export function platformMigrations(schema: string): Migration[] {
  const s = ident(schema);
  return [
    {
      version: 1,
      name: 'platform domain',
      sql: `
CREATE TABLE ${s}.buttons (
  id serial PRIMARY KEY,
  label varchar(64) NOT NULL,
  action varchar(16) NOT NULL CHECK (action IN ('scenario', 'tasks', 'balance', 'mini_app', 'link')),
  payload text,
  position integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.scenarios (
  id serial PRIMARY KEY,
  name varchar(128) NOT NULL,
  command varchar(32) UNIQUE,
  steps jsonb NOT NULL DEFAULT '[]',
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.tasks (
  id serial PRIMARY KEY,
  title varchar(200) NOT NULL,
  description text NOT NULL DEFAULT '',
  reward_minor bigint NOT NULL CHECK (reward_minor >= 0),
  type varchar(8) NOT NULL CHECK (type IN ('link', 'quiz', 'manual')),
  url text,
  question text,
  answer text,
  max_completions integer CHECK (max_completions > 0),
  completions integer NOT NULL DEFAULT 0 CHECK (completions >= 0),
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.users (
  id serial PRIMARY KEY,
  telegram_id bigint NOT NULL UNIQUE,
  username varchar(64),
  first_name varchar(128) NOT NULL DEFAULT '',
  balance_minor bigint NOT NULL DEFAULT 0 CHECK (balance_minor >= 0),
  held_minor bigint NOT NULL DEFAULT 0 CHECK (held_minor >= 0),
  completions integer NOT NULL DEFAULT 0,
  status varchar(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'banned')),
  profile jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.task_completions (
  id serial PRIMARY KEY,
  task_id integer NOT NULL REFERENCES ${s}.tasks(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES ${s}.users(id) ON DELETE CASCADE,
  status varchar(16) NOT NULL CHECK (status IN ('completed', 'pending_review')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (task_id, user_id)
);
CREATE TABLE ${s}.ledger (
  id bigserial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES ${s}.users(id) ON DELETE CASCADE,
  amount_minor bigint NOT NULL,
  kind varchar(16) NOT NULL CHECK (kind IN ('task_reward', 'payout_hold', 'payout_release', 'adjustment')),
  ref varchar(200),
  idempotency_key varchar(200) UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_ledger_user ON ${s}.ledger (user_id, id DESC);
CREATE TABLE ${s}.payouts (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES ${s}.users(id) ON DELETE CASCADE,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  method varchar(64) NOT NULL,
  details varchar(500) NOT NULL,
  status varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
  idempotency_key varchar(200),
  reason varchar(500),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by varchar(255),
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX idx_payouts_status ON ${s}.payouts (status, id DESC);
CREATE TABLE ${s}.settings (
  key varchar(64) PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.audit_log (
  id bigserial PRIMARY KEY,
  admin_email varchar(255) NOT NULL,
  action varchar(64) NOT NULL,
  entity varchar(32) NOT NULL,
  entity_id varchar(64),
  old_value jsonb,
  new_value jsonb,
  outcome varchar(8) NOT NULL CHECK (outcome IN ('ok', 'denied')),
  ip varchar(64),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.messages (
  id bigserial PRIMARY KEY,
  telegram_id bigint,
  chat_id bigint,
  direction varchar(3) NOT NULL CHECK (direction IN ('in', 'out')),
  text text,
  payload jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_messages_chat ON ${s}.messages (chat_id, id DESC)`,
    },
    {
      version: 2,
      name: 'denied logins index (login throttle)',
      sql: `CREATE INDEX idx_audit_denied_logins ON ${s}.audit_log (created_at) WHERE action = 'admin.login' AND outcome = 'denied'`,
    },
  ];
}
