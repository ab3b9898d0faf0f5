import type { NavLinkItem } from '@ehrms/ui';
import type { Me } from '../api/types.js';

/** Permission names the screens check (the API enforces them; the UI only hides what would be refused). */
export const PERMISSIONS = {
  manageUsers: 'identity.users.write',
  readUsers: 'identity.users.read',
  readAudit: 'audit.logs.read',
  exportAudit: 'audit.logs.export',
  verifyAudit: 'audit.logs.verify',
} as const;

export function can(user: Pick<Me, 'grants'> | undefined, permission: string): boolean {
  return Boolean(user?.grants[permission]);
}

/** The navbar for this user: what their roles let them use. */
export function navLinksFor(user: Me | undefined): NavLinkItem[] {
  const links: NavLinkItem[] = [{ href: '/', label: 'Home' }];
  if (can(user, PERMISSIONS.manageUsers)) links.push({ href: '/admin/users', label: 'Users' });
  if (can(user, PERMISSIONS.readAudit)) links.push({ href: '/audit', label: 'Audit log' });
  links.push({ href: '/account', label: 'My account' });
  return links;
}
