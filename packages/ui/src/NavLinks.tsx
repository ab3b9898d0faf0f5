import { NavLink, Stack } from '@mantine/core';
import { isActivePath, routedClick, type Navigate, type NavLinkItem } from './navigation.js';

export interface NavLinksProps {
  items: readonly NavLinkItem[];
  /** The current location's path, to mark the active link. */
  currentPath: string;
  onNavigate?: Navigate;
  /** Accessible name of the navigation landmark. */
  label?: string;
}

/** The main navigation: real links, the current page marked with `aria-current` and weight. */
export function NavLinks({ items, currentPath, onNavigate, label = 'Main' }: NavLinksProps) {
  return (
    <nav aria-label={label}>
      <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((item) => {
          const active = isActivePath(item.href, currentPath);
          return (
            <li key={item.href}>
              <NavLink
                component="a"
                href={item.href}
                label={item.label}
                description={item.description}
                active={active}
                aria-current={active ? 'page' : undefined}
                className="ehrms-nav-link"
                onClick={routedClick(item.href, onNavigate)}
              />
            </li>
          );
        })}
      </Stack>
    </nav>
  );
}
