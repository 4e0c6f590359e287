/**
 * The circulation database's schema, as numbered migrations applied in
 * order; `PRAGMA user_version` records how far a database file has come.
 */
import { MIGRATION_2 } from './migrations-v2.js';
import { MIGRATION_3 } from './migrations-v3.js';
import { MIGRATION_4 } from './migrations-v4.js';
import { MIGRATION_5 } from './migrations-v5.js';
import { MIGRATION_6 } from './migrations-v6.js';
import { MIGRATION_7 } from './migrations-v7.js';
import { MIGRATION_8 } from './migrations-v8.js';
import { MIGRATION_9 } from './migrations-v9.js';
import { MIGRATION_10 } from './migrations-v10.js';
import { MIGRATION_11 } from './migrations-v11.js';
import { MIGRATION_12 } from './migrations-v12.js';

export const MIGRATIONS: string[] = [
  `
  CREATE TABLE branches (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES branches(id)
  );

  CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
  );

  CREATE TABLE staff_roles (
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    role TEXT NOT NULL CHECK (role IN ('circulation', 'admin')),
    PRIMARY KEY (staff_id, branch_id)
  );

  CREATE TABLE auth_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE workstations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    registered_by INTEGER NOT NULL REFERENCES staff(id),
    registered_at TEXT NOT NULL
  );

  CREATE TABLE patrons (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    profile TEXT NOT NULL,
    home_branch_id INTEGER NOT NULL REFERENCES branches(id),
    expires_on TEXT NOT NULL,
    barred INTEGER NOT NULL DEFAULT 0,
    inactive INTEGER NOT NULL DEFAULT 0,
    email TEXT,
    phone TEXT,
    created_at TEXT NOT NULL,
    created_by_txn TEXT
  );

  CREATE TABLE patron_cards (
    barcode TEXT PRIMARY KEY,
    patron_id INTEGER NOT NULL REFERENCES patrons(id),
    active INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX patron_cards_patron ON patron_cards(patron_id);

  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    barcode TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    call_number TEXT NOT NULL DEFAULT '',
    item_type TEXT NOT NULL,
    owning_branch_id INTEGER NOT NULL REFERENCES branches(id),
    current_branch_id INTEGER NOT NULL REFERENCES branches(id),
    status TEXT NOT NULL CHECK (status IN ('available', 'checked_out', 'in_transit', 'on_hold_shelf',
      'lost', 'missing', 'claims_returned', 'damaged', 'non_circulating')),
    status_changed_at TEXT NOT NULL
  );

  CREATE TABLE loan_policies (
    id INTEGER PRIMARY KEY,
    item_type TEXT,
    patron_profile TEXT,
    loan_days INTEGER NOT NULL,
    max_renewals INTEGER NOT NULL,
    daily_fine_cents INTEGER NOT NULL,
    max_fine_cents INTEGER NOT NULL,
    UNIQUE (item_type, patron_profile)
  );

  CREATE TABLE noncat_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    loan_days INTEGER NOT NULL
  );

  CREATE TABLE loans (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    patron_id INTEGER NOT NULL REFERENCES patrons(id),
    checkout_at TEXT NOT NULL,
    checkout_branch_id INTEGER REFERENCES branches(id),
    checkout_workstation TEXT,
    checkout_staff TEXT,
    due_at TEXT NOT NULL,
    renewals INTEGER NOT NULL DEFAULT 0,
    checkin_at TEXT,
    checkin_branch_id INTEGER REFERENCES branches(id),
    checkin_workstation TEXT,
    checkin_staff TEXT,
    checkout_txn TEXT,
    last_renew_txn TEXT,
    checkin_txn TEXT
  );
  CREATE INDEX loans_open_item ON loans(item_id) WHERE checkin_at IS NULL;
  CREATE INDEX loans_patron ON loans(patron_id);

  CREATE TABLE holds (
    id INTEGER PRIMARY KEY,
    patron_id INTEGER NOT NULL REFERENCES patrons(id),
    item_id INTEGER REFERENCES items(id),
    title TEXT,
    pickup_branch_id INTEGER NOT NULL REFERENCES branches(id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'captured', 'on_shelf', 'fulfilled', 'cancelled')),
    created_at TEXT NOT NULL
  );
  CREATE INDEX holds_item ON holds(item_id, status);

  CREATE TABLE transits (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    from_branch_id INTEGER NOT NULL REFERENCES branches(id),
    to_branch_id INTEGER NOT NULL REFERENCES branches(id),
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT,
    txn_id TEXT
  );

  CREATE TABLE in_house_uses (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    branch_id INTEGER REFERENCES branches(id),
    count INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    txn_id TEXT NOT NULL UNIQUE
  );

  CREATE TABLE noncat_circulations (
    id INTEGER PRIMARY KEY,
    patron_id INTEGER NOT NULL REFERENCES patrons(id),
    noncat_type TEXT NOT NULL,
    count INTEGER NOT NULL,
    branch_id INTEGER REFERENCES branches(id),
    occurred_at TEXT NOT NULL,
    txn_id TEXT NOT NULL UNIQUE
  );

  CREATE TABLE bills (
    id INTEGER PRIMARY KEY,
    patron_id INTEGER NOT NULL REFERENCES patrons(id),
    loan_id INTEGER REFERENCES loans(id),
    amount_cents INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    txn_id TEXT
  );

  CREATE TABLE offline_sessions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    state TEXT NOT NULL CHECK (state IN ('open', 'processing', 'processed', 'closed')),
    override_policy INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER NOT NULL REFERENCES staff(id),
    created_at TEXT NOT NULL,
    processing_started_at TEXT,
    processed_at TEXT,
    closed_at TEXT
  );

  CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES offline_sessions(id),
    workstation TEXT NOT NULL,
    staff TEXT NOT NULL,
    received_at TEXT NOT NULL,
    device_time TEXT NOT NULL,
    clock_offset_ms INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    rejected INTEGER NOT NULL
  );
  CREATE INDEX uploads_session ON uploads(session_id);

  -- One row per transaction, ever: the id is the device's UUID, so a
  -- re-upload into any session finds the row and stores nothing twice.
  CREATE TABLE offline_transactions (
    id TEXT PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES offline_sessions(id),
    upload_id INTEGER NOT NULL REFERENCES uploads(id),
    type TEXT NOT NULL,
    workstation TEXT NOT NULL,
    staff TEXT NOT NULL,
    seq INTEGER NOT NULL,
    occurred_at TEXT NOT NULL,
    phase INTEGER NOT NULL,
    sort_at INTEGER NOT NULL,
    item_barcode TEXT,
    patron_barcode TEXT,
    payload TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    code TEXT,
    detail TEXT,
    processed_at TEXT
  ) WITHOUT ROWID;
  CREATE INDEX offline_transactions_order
    ON offline_transactions(session_id, outcome, phase, sort_at, workstation, seq);
  `,
  MIGRATION_2,
  MIGRATION_3,
  MIGRATION_4,
  MIGRATION_5,
  MIGRATION_6,
  MIGRATION_7,
  MIGRATION_8,
  MIGRATION_9,
  MIGRATION_10,
  MIGRATION_11,
  MIGRATION_12,
];
