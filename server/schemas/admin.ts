import { Type } from 'typebox';
import { BranchCode } from './common.js';

export const PASSWORD_MIN_LENGTH = 10;

const Role = Type.Union([Type.Literal('circulation'), Type.Literal('admin')]);
const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]*$' });
const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 256 });

export const UsernameParam = Type.Object({ username: Username }, { additionalProperties: false });

export const StaffReply = Type.Object({
  username: Type.String(), display_name: Type.String(), active: Type.Boolean(),
  roles: Type.Array(Type.Object({ branch: Type.String(), role: Role })),
});

export const CreateStaffBody = Type.Object({
  username: Username,
  display_name: Type.String({ minLength: 1, maxLength: 100 }),
  password: Password,
  branch: BranchCode,
  role: Role,
}, { additionalProperties: false });

export const PasswordBody = Type.Object({ password: Password }, { additionalProperties: false });

export const RoleBody = Type.Object({ branch: BranchCode, role: Type.Union([Role, Type.Null()]) }, { additionalProperties: false });

const WorkstationName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
export const WorkstationParam = Type.Object({ name: WorkstationName }, { additionalProperties: false });
export const RenameBody = Type.Object({ name: WorkstationName }, { additionalProperties: false });
export const WorkstationAdminReply = Type.Object({
  name: Type.String(), branch: Type.String(), registered_by: Type.String(), registered_at: Type.String(),
  retired_at: Type.Union([Type.String(), Type.Null()]),
});

const auditFilter = {
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z_.]+$' })),
  staff: Type.Optional(Username),
};

export const AuditQuery = Type.Object({
  ...auditFilter,
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
}, { additionalProperties: false });

/** The CSV export is every matching entry: paging parameters would be ignored, so they are refused. */
export const AuditExportQuery = Type.Object(auditFilter, { additionalProperties: false });

export const AuditReply = Type.Object({
  total: Type.Integer(),
  entries: Type.Array(Type.Object({
    id: Type.Integer(), at: Type.String(), staff: Type.String(), workstation: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(), target: Type.Union([Type.String(), Type.Null()]),
    details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  })),
});

/** CSV files as text; 64 MB covers half a million items. */
export const ImportBody = Type.Object({
  branches: Type.Optional(Type.String({ maxLength: 64 * 1024 * 1024 })),
  patrons: Type.Optional(Type.String({ maxLength: 64 * 1024 * 1024 })),
  items: Type.Optional(Type.String({ maxLength: 64 * 1024 * 1024 })),
}, { additionalProperties: false, minProperties: 1 });

const Counts = Type.Object({ inserted: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() });
export const ImportReply = Type.Object({
  ok: Type.Boolean(),
  counts: Type.Object({ branches: Counts, patrons: Counts, items: Counts }),
  errors: Type.Array(Type.Object({ file: Type.String(), line: Type.Integer(), reason: Type.String() })),
});

/** A 400 from the import: IMPORT_REJECTED lists the bad rows; a malformed request (BAD_REQUEST and the like) has no list. */
export const ImportRejected = Type.Object({
  code: Type.String(), message: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ file: Type.String(), line: Type.Integer(), reason: Type.String() }))),
});
