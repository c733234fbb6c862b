import { ident, type Migration } from './migration.ts';

/**
 * The shared identity schema of seed 001 (`users`, `sessions`, `user_permissions`,
 * `user_profiles`), hardened: sessions are keyed by the SHA-256 of their id (a dump holds no
 * live session), times are `timestamptz`, rows carry a `version` that guards Redis copies,
 * and `password_hash` may be null (Telegram users log in without one).
 */
export function identityMigrations(schema: string): Migration[] {
  const s = ident(schema);
  return [
    {
      version: 1,
      name: 'identity tables',
      sql: `
CREATE TABLE ${s}.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email varchar(255) UNIQUE NOT NULL,
  password_hash varchar(255),
  email_verified boolean NOT NULL DEFAULT false,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}.sessions (
  id_hash bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
  user_id uuid NOT NULL REFERENCES ${s}.users(id) ON DELETE CASCADE,
  application_context varchar(50) NOT NULL,
  session_data jsonb NOT NULL DEFAULT '{}',
  version bigint NOT NULL DEFAULT 1,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_sessions_app_context ON ${s}.sessions (application_context, user_id);
CREATE INDEX idx_sessions_expires ON ${s}.sessions (expires_at);
CREATE TABLE ${s}.user_permissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES ${s}.users(id) ON DELETE CASCADE,
  permission varchar(100) NOT NULL,
  application_context varchar(50) NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, permission, application_context)
);
CREATE INDEX idx_user_permissions_context ON ${s}.user_permissions (application_context, user_id);
CREATE TABLE ${s}.user_profiles (
  user_id uuid PRIMARY KEY REFERENCES ${s}.users(id) ON DELETE CASCADE,
  display_name varchar(255),
  telegram_user_id bigint UNIQUE,
  locale varchar(16),
  data jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
    },
  ];
}
