import { Type, type Static } from 'typebox';
import { BranchCode, Nullable } from './common.js';

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A local calendar date, YYYY-MM-DD' });

export const Closure = Type.Object({
  id: Type.Integer(),
  /** Where the closure is entered: this branch, or a library system above it (which closes every branch of it). */
  branch: Type.String(),
  first_date: Type.String(), last_date: Type.String(), reason: Type.String(),
});
export type Closure = Static<typeof Closure>;

/** A branch's calendar as staff set it and as due dates and fines use it (its zone and hours resolved through its systems). */
export const BranchCalendar = Type.Object({
  code: Type.String(), name: Type.String(), parent: Nullable(Type.String()),
  time_zone: Nullable(Type.String({ description: 'The zone the branch names itself; null: its system’s' })),
  zone: Type.String({ description: 'The zone it keeps: its own, else its system’s, else the server’s default' }),
  hours: Type.Array(Type.String(), { minItems: 7, maxItems: 7, description: 'Opening hours Monday first; "" closed' }),
  hours_from: Nullable(Type.String({ description: 'The branch whose hours these are (this one or a system above); null: none given, open every day' })),
  closures: Type.Array(Closure, { description: 'Its closures and those of every system above it, in date order' }),
});
export type BranchCalendar = Static<typeof BranchCalendar>;

export const ClosureBody = Type.Object({
  first_date: LocalDate,
  last_date: Type.Optional(LocalDate),
  reason: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false });
export type ClosureBody = Static<typeof ClosureBody>;

export const BranchParam = Type.Object({ code: BranchCode }, { additionalProperties: false });
export const ClosureParams = Type.Object({ code: BranchCode, id: Type.String({ pattern: '^[0-9]{1,9}$' }) }, { additionalProperties: false });
