import { Type, type Static } from 'typebox';
import { Nullable } from './common.js';

export const Branch = Type.Object({
  code: Type.String(), name: Type.String(),
  parent: Nullable(Type.String({ description: 'The library system above; null for a system' })),
});
export type Branch = Static<typeof Branch>;

export const BRANCH_PURPOSES = ['workstation', 'admin'] as const;

export const BranchesQuery = Type.Object({
  for: Type.Optional(Type.Enum(BRANCH_PURPOSES, {
    description: 'workstation: only the branches where you may register a workstation, by name; admin: only the branches you administer',
  })),
}, { additionalProperties: false });
export type BranchesQuery = Static<typeof BranchesQuery>;
