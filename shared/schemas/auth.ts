import { Type, type Static } from 'typebox';
import { Role } from './common.js';

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

/** The logged-in staff member, as the app shows and remembers them. */
export const Me = Type.Object({
  username: Type.String(),
  display_name: Type.String(),
  roles: Type.Array(Type.Object({ branch: Type.String(), role: Role })),
  // Always sent; optional because a device may hold a login it stored before the field existed.
  installation_admin: Type.Optional(Type.Boolean({
    description: 'Administers every library system of the installation, those imported later included (the first start’s admin). Always sent.',
  })),
});
export type Me = Static<typeof Me>;
