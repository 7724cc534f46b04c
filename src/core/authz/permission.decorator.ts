import { SetMetadata } from '@nestjs/common';

export const PERMISSION_KEY = 'wecrm:permission';

export type PermissionRequirement =
  | { kind: 'permission'; resource: string; action: string }
  | { kind: 'public'; reason: string }
  | { kind: 'authenticated'; reason: string };

/** The caller must hold `resource:action` through one of their roles. */
export const RequirePermission = (resource: string, action: string) =>
  SetMetadata(PERMISSION_KEY, { kind: 'permission', resource, action } satisfies PermissionRequirement);

/** No caller needed (sign-up, login); say why. */
export const Public = (reason: string) =>
  SetMetadata(PERMISSION_KEY, { kind: 'public', reason } satisfies PermissionRequirement);

/** Any signed-in caller of the organization (e.g. `me`); say why no permission applies. */
export const Authenticated = (reason: string) =>
  SetMetadata(PERMISSION_KEY, { kind: 'authenticated', reason } satisfies PermissionRequirement);

export function describeRequirement(req: PermissionRequirement | undefined): string {
  if (!req) return 'UNGUARDED';
  if (req.kind === 'permission') return `${req.resource}:${req.action}`;
  return `${req.kind}(${req.reason})`;
}
