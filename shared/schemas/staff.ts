import { Type, type Static } from 'typebox';
import { BranchCode, Nullable, Role, Username } from './common.js';

export const PASSWORD_MIN_LENGTH = 10;

const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 256 });

export const UsernameParam = Type.Object({ username: Username }, { additionalProperties: false });

export const StaffAccount = Type.Object({
  username: Type.String(), display_name: Type.String(), active: Type.Boolean(),
  roles: Type.Array(Type.Object({ branch: Type.String(), role: Role })),
});
export type StaffAccount = Static<typeof StaffAccount>;

export const CreateStaffBody = Type.Object({
  username: Username,
  display_name: Type.String({ minLength: 1, maxLength: 100 }),
  password: Password,
  branch: BranchCode,
  role: Role,
}, { additionalProperties: false });
export type CreateStaffBody = Static<typeof CreateStaffBody>;

export const PasswordBody = Type.Object({ password: Password }, { additionalProperties: false });

export const RoleBody = Type.Object({ branch: BranchCode, role: Nullable(Role) }, { additionalProperties: false });
export type RoleBody = Static<typeof RoleBody>;
