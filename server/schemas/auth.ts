import { Type } from 'typebox';
import { BranchCode } from './common.js';

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });

export const MeReply = Type.Object({
  username: Type.String(),
  display_name: Type.String(),
  roles: Type.Array(Type.Object({ branch: Type.String(), role: Type.Union([Type.Literal('circulation'), Type.Literal('admin')]) })),
  installation_admin: Type.Boolean({ description: 'Administers every library system of the installation, those imported later included' }),
});

export const BranchReply = Type.Object({ code: Type.String(), name: Type.String(), parent: Type.Union([Type.String(), Type.Null()]) });

export const WorkstationBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
  branch: BranchCode,
}, { additionalProperties: false });

export const WorkstationReply = Type.Object({ name: Type.String(), branch: Type.String() });
