import type { Db } from './open.js';

export interface NewPatron {
  /** Left out, SQLite numbers the patron itself. */
  id?: number;
  first_name: string;
  last_name: string;
  profile: string;
  home_branch_id: number;
  expires_on: string;
  barred: boolean;
  inactive: boolean;
  email: string;
  created_at: string;
  cards: { barcode: string; active: boolean }[];
}

/**
 * Prepares the statements once and returns an inserter, so seeding thousands
 * of patrons in one transaction does not re-prepare per row. Returns the patron's id.
 */
export function patronInserter(db: Db): (patron: NewPatron) => number {
  const insertPatron = db.prepare(`INSERT INTO patrons (id, first_name, last_name, profile, home_branch_id, expires_on, barred, inactive, email, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertCard = db.prepare('INSERT INTO patron_cards (barcode, patron_id, active) VALUES (?, ?, ?)');
  return (p) => {
    const id = Number(insertPatron.run(p.id ?? null, p.first_name, p.last_name, p.profile, p.home_branch_id, p.expires_on,
      p.barred ? 1 : 0, p.inactive ? 1 : 0, p.email, p.created_at).lastInsertRowid);
    for (const card of p.cards) insertCard.run(card.barcode, id, card.active ? 1 : 0);
    return id;
  };
}
