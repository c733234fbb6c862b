import { ident, type Migration } from './migration.ts';

/** Seed 001's web tables: `orders`, `payments`, `exchange_rates`, `analytics_events`. */
export function webMigrations(schema: string): Migration[] {
  const s = ident(schema);
  return [
    {
      version: 1,
      name: 'web tables',
      sql: `
CREATE TABLE ${s}.orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  from_currency varchar(10) NOT NULL,
  to_currency varchar(10) NOT NULL,
  amount numeric(18, 8) NOT NULL CHECK (amount > 0),
  exchange_rate numeric(18, 8) NOT NULL CHECK (exchange_rate > 0),
  status varchar(50) NOT NULL DEFAULT 'pending',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_orders_user ON ${s}.orders (user_id, created_at DESC);
CREATE TABLE ${s}.payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES ${s}.orders(id) ON DELETE CASCADE,
  user_id uuid NOT NULL,
  payment_method varchar(100) NOT NULL,
  amount numeric(18, 8) NOT NULL CHECK (amount > 0),
  status varchar(50) NOT NULL DEFAULT 'pending',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.exchange_rates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  from_currency varchar(10) NOT NULL,
  to_currency varchar(10) NOT NULL,
  rate numeric(18, 8) NOT NULL CHECK (rate > 0),
  valid_from timestamptz NOT NULL DEFAULT now(),
  valid_until timestamptz,
  UNIQUE (from_currency, to_currency, valid_from)
);
CREATE TABLE ${s}.analytics_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid,
  event_type varchar(100) NOT NULL,
  event_data jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
)`,
    },
  ];
}

/** Seed 001's admin tables: `admin_settings`, `audit_logs`, `reports`, `system_metrics`. */
export function adminMigrations(schema: string): Migration[] {
  const s = ident(schema);
  return [
    {
      version: 1,
      name: 'admin tables',
      sql: `
CREATE TABLE ${s}.admin_settings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key varchar(255) UNIQUE NOT NULL,
  value jsonb NOT NULL,
  description text,
  updated_by uuid NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.audit_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  admin_id uuid NOT NULL,
  action varchar(255) NOT NULL,
  resource_type varchar(100) NOT NULL,
  resource_id varchar(255),
  old_values jsonb,
  new_values jsonb,
  ip_address inet,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(255) NOT NULL,
  type varchar(100) NOT NULL,
  parameters jsonb,
  generated_by uuid NOT NULL,
  generated_at timestamptz NOT NULL DEFAULT now(),
  file_path varchar(500)
);
CREATE TABLE ${s}.system_metrics (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  metric_name varchar(255) NOT NULL,
  metric_value numeric(18, 8),
  tags jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_system_metrics_name ON ${s}.system_metrics (metric_name, recorded_at DESC)`,
    },
  ];
}

/** Seed 001's bot tables: `conversations`, `messages`, `notifications`, `bot_state`, `user_commands`. */
export function botMigrations(schema: string): Migration[] {
  const s = ident(schema);
  return [
    {
      version: 1,
      name: 'bot tables',
      sql: `
CREATE TABLE ${s}.conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  telegram_user_id bigint NOT NULL UNIQUE,
  user_id uuid,
  state varchar(100) NOT NULL DEFAULT 'idle',
  context jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES ${s}.conversations(id) ON DELETE CASCADE,
  message_id bigint NOT NULL,
  message_type varchar(50) NOT NULL,
  content jsonb NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_messages_conversation ON ${s}.messages (conversation_id, sent_at);
CREATE TABLE ${s}.notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  telegram_user_id bigint,
  message text NOT NULL,
  notification_type varchar(100) NOT NULL,
  sent boolean NOT NULL DEFAULT false,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.bot_state (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key varchar(255) UNIQUE NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.user_commands (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  telegram_user_id bigint NOT NULL,
  command varchar(255) NOT NULL,
  parameters jsonb,
  executed_at timestamptz NOT NULL DEFAULT now()
)`,
    },
  ];
}

/** Built-in migrations by context name; custom contexts bring their own. */
export const BUILT_IN_APP_MIGRATIONS: Readonly<Record<string, (schema: string) => Migration[]>> =
  Object.freeze({ web: webMigrations, admin: adminMigrations, telegram: botMigrations });
