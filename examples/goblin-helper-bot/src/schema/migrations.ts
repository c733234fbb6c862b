import type { SqlClient } from '@hybridstate/core';
import { applyMigrations, type Migration } from '@hybridstate/identity';

/** Quote an identifier for SQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Seed 000's PostgreSQL schema, versioned: quoted camelCase tables, enums for roles and group
 * types, a `period` domain for `YYYY_MM`, and the seed's invariants as constraints, so a bug
 * in a handler cannot store what the seed forbids.
 *
 * Decisions the seed leaves open:
 * - `userGroups` has no foreign key to `months`: the seed imports users (with their groups)
 *   before months, and its backups hold groups of months they do not list.
 * - `userPurchases.collections` keeps the seed's `purchases.collections` (no table in the
 *   seed, whose bridge dropped it).
 * - scrolls, costs and balances are whole numbers.
 */
export function goblinMigrations(schema: string): Migration[] {
  const s = ident(schema);
  return [
    {
      version: 1,
      name: 'seed 000 domain',
      sql: `
CREATE TYPE ${s}."userRole" AS ENUM ('admin', 'adminPlus', 'rejected');
CREATE TYPE ${s}."groupType" AS ENUM ('regular', 'plus');
CREATE DOMAIN ${s}."period" AS text CHECK (VALUE ~ '^[0-9]{4}_(0[1-9]|1[0-2])$');
CREATE TABLE ${s}."users" (
  id bigint PRIMARY KEY,
  username text,
  "firstName" text NOT NULL DEFAULT '',
  "lastName" text NOT NULL DEFAULT '',
  "createdAt" timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ${s}."userPurchases" (
  "userId" bigint PRIMARY KEY REFERENCES ${s}."users" (id) ON DELETE CASCADE,
  balance integer NOT NULL DEFAULT 0 CONSTRAINT "balanceNotNegative" CHECK (balance >= 0),
  "scrollsSpent" integer NOT NULL DEFAULT 0 CONSTRAINT "scrollsSpentNotNegative" CHECK ("scrollsSpent" >= 0),
  collections text[] NOT NULL DEFAULT '{}'
);
CREATE TABLE ${s}."userRoles" (
  "userId" bigint NOT NULL REFERENCES ${s}."users" (id) ON DELETE CASCADE,
  role ${s}."userRole" NOT NULL,
  PRIMARY KEY ("userId", role)
);
CREATE TABLE ${s}."userGroups" (
  "userId" bigint NOT NULL REFERENCES ${s}."users" (id) ON DELETE CASCADE,
  period ${s}."period" NOT NULL,
  type ${s}."groupType" NOT NULL,
  PRIMARY KEY ("userId", period, type)
);
CREATE TABLE ${s}."kickstarters" (
  id integer PRIMARY KEY CHECK (id >= 0),
  name text NOT NULL CHECK (name <> ''),
  creator text NOT NULL DEFAULT '',
  cost integer NOT NULL CONSTRAINT "costNotNegative" CHECK (cost >= 0),
  "pledgeName" text NOT NULL DEFAULT '',
  "pledgeCost" integer NOT NULL DEFAULT 0 CONSTRAINT "pledgeCostNotNegative" CHECK ("pledgeCost" >= 0),
  link text NOT NULL DEFAULT ''
);
CREATE TABLE ${s}."kickstarterPhotos" (
  "kickstarterId" integer NOT NULL REFERENCES ${s}."kickstarters" (id) ON DELETE CASCADE,
  position smallint NOT NULL CHECK (position >= 0),
  "fileId" text NOT NULL CHECK ("fileId" <> ''),
  PRIMARY KEY ("kickstarterId", position)
);
CREATE TABLE ${s}."kickstarterFiles" (
  "kickstarterId" integer NOT NULL REFERENCES ${s}."kickstarters" (id) ON DELETE CASCADE,
  position smallint NOT NULL CHECK (position >= 0),
  "fileId" text NOT NULL CHECK ("fileId" <> ''),
  PRIMARY KEY ("kickstarterId", position)
);
CREATE TABLE ${s}."userKickstarters" (
  "userId" bigint NOT NULL REFERENCES ${s}."users" (id) ON DELETE CASCADE,
  "kickstarterId" integer NOT NULL REFERENCES ${s}."kickstarters" (id),
  "acquiredAt" timestamptz NOT NULL DEFAULT now(),
  "acquiredBy" text NOT NULL DEFAULT 'purchase',
  PRIMARY KEY ("userId", "kickstarterId")
);
CREATE TABLE ${s}."months" (
  period ${s}."period" NOT NULL,
  type ${s}."groupType" NOT NULL,
  "chatId" bigint NOT NULL CONSTRAINT "chatIdValid" CHECK ("chatId" <> 0),
  link text NOT NULL DEFAULT '',
  "counterJoined" integer NOT NULL DEFAULT 0 CONSTRAINT "counterJoinedNotNegative" CHECK ("counterJoined" >= 0),
  "counterPaid" integer NOT NULL DEFAULT 0 CONSTRAINT "counterPaidNotNegative" CHECK ("counterPaid" >= 0),
  PRIMARY KEY (period, type)
);
CREATE TABLE ${s}."settings" (
  key text PRIMARY KEY,
  value text NOT NULL
)`,
    },
  ];
}

/** Create or bring up to date the bot's tables in `schema`; returns the versions applied. */
export function migrateGoblinSchema(sql: SqlClient, schema: string): Promise<number[]> {
  return applyMigrations(sql, schema, goblinMigrations(schema));
}
