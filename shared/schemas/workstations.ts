import { Type, type Static } from 'typebox';
import { BranchCode, Nullable, WorkstationName } from './common.js';

export const WorkstationBody = Type.Object({ name: WorkstationName, branch: BranchCode }, { additionalProperties: false });
export type WorkstationBody = Static<typeof WorkstationBody>;

/** A device registered as a workstation, as the desk knows it. */
export const Workstation = Type.Object({ name: Type.String(), branch: Type.String() });
export type Workstation = Static<typeof Workstation>;

/** A workstation as its administrators see it. */
export const WorkstationRecord = Type.Object({
  name: Type.String(), branch: Type.String(), registered_by: Type.String(), registered_at: Type.String(),
  retired_at: Nullable(Type.String()),
});
export type WorkstationRecord = Static<typeof WorkstationRecord>;

export const WorkstationParam = Type.Object({ name: WorkstationName }, { additionalProperties: false });
export const RenameBody = Type.Object({ name: WorkstationName }, { additionalProperties: false });
