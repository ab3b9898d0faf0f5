import type { NavLinkItem } from '@ehrms/ui';
import type { Me } from '../api/types.js';

/** Permission names the screens check (the API enforces them; the UI only hides what would be refused). */
export const PERMISSIONS = {
  manageUsers: 'identity.users.write',
  readUsers: 'identity.users.read',
  readAudit: 'audit.logs.read',
  exportAudit: 'audit.logs.export',
  verifyAudit: 'audit.logs.verify',
  readClients: 'clients.clients.read',
  registerClients: 'clients.clients.write',
  readConsents: 'clients.consents.read',
  breakGlass: 'clients.break_glass.request',
  readCases: 'cases.cases.read',
  openCases: 'cases.cases.write',
  writeNotes: 'cases.notes.write',
  cosignNotes: 'cases.notes.cosign',
  readProviders: 'providers.providers.read',
  readBeds: 'scheduling.beds.read',
  manageBeds: 'scheduling.beds.manage',
  readResources: 'scheduling.resources.read',
  readAppointments: 'scheduling.appointments.read',
  writeAppointments: 'scheduling.appointments.write',
  manageReminderPolicy: 'scheduling.policy.manage',
  readDocuments: 'documents.documents.read',
  fileDocuments: 'documents.documents.write',
} as const;

export function can(user: Pick<Me, 'grants'> | undefined, permission: string): boolean {
  return Boolean(user?.grants[permission]);
}

/** The navbar for this user: what their roles let them use. */
export function navLinksFor(user: Me | undefined): NavLinkItem[] {
  const links: NavLinkItem[] = [{ href: '/', label: 'Home' }];
  if (can(user, PERMISSIONS.readClients)) links.push({ href: '/clients', label: 'Clients' });
  if (can(user, PERMISSIONS.readCases)) links.push({ href: '/cases', label: 'Caseload' });
  if (can(user, PERMISSIONS.readProviders)) links.push({ href: '/providers', label: 'Providers' });
  if (can(user, PERMISSIONS.readAppointments)) {
    links.push(
      { href: '/schedule', label: 'Schedule' },
      { href: '/front-desk', label: 'Front desk' },
      { href: '/waitlist', label: 'Waitlist' },
    );
  }
  if (can(user, PERMISSIONS.readBeds)) links.push({ href: '/beds', label: 'Bed board' });
  if (can(user, PERMISSIONS.manageUsers)) links.push({ href: '/admin/users', label: 'Users' });
  if (can(user, PERMISSIONS.manageReminderPolicy)) {
    links.push({ href: '/admin/reminders', label: 'Reminder policy' });
  }
  if (can(user, PERMISSIONS.readAudit)) links.push({ href: '/audit', label: 'Audit log' });
  links.push({ href: '/account', label: 'My account' });
  return links;
}
