import { SetMetadata, applyDecorators } from '@nestjs/common';

export const PERMISSION_KEY = 'ehrms:permission';
export const PUBLIC_KEY = 'ehrms:public';
export const AUDIT_KEY = 'ehrms:audit';
export const ALTERNATIVE_PERMISSIONS_KEY = 'ehrms:alternative-permissions';

export interface PermissionOptions {
  /**
   * Other grants that also open the route, for routes whose records are reached through more
   * than one kind of parent (a provider's documents go with the providers grant). The guard only
   * lets the caller in; the service must still decide each record with the grant that governs it.
   */
  alternatives?: readonly string[];
}

/**
 * Declares what a route needs: a permission name (`module.resource.action`). The AuthGuard
 * refuses callers without a grant for it (or for one of its `alternatives`), and the
 * AuditInterceptor records the access under it. Every route must carry either this or @Public();
 * the app refuses to start otherwise.
 */
export function RequirePermission(
  permission: string,
  audit?: AuditOptions,
  options: PermissionOptions = {},
): MethodDecorator {
  return applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    SetMetadata(AUDIT_KEY, audit ?? {}),
    SetMetadata(ALTERNATIVE_PERMISSIONS_KEY, options.alternatives ?? []),
  );
}

export interface PublicOptions {
  /** Public routes that still touch accounts (login, reset) audit themselves; this only documents it. */
  reason: string;
}

/** A route anyone may call without a token (login, JWKS, health). */
export function Public(options: PublicOptions): MethodDecorator {
  return SetMetadata(PUBLIC_KEY, options);
}

export interface AuditOptions {
  /** Resource type recorded in the audit row; defaults to the permission's `module.resource`. */
  resource?: string;
  /** Route parameter holding the resource id; defaults to `id`. */
  idParam?: string;
  /** Whether the resource holds PHI (drives reporting; every access is audited regardless). */
  phi?: boolean;
}
