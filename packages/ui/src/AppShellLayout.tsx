import { Anchor, AppShell, Burger, Button, Group, Menu, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { NavLinks } from './NavLinks.js';
import { routedClick, type Navigate, type NavLinkItem } from './navigation.js';
import './styles.css';

export interface ShellUser {
  displayName: string;
  email?: string;
  /** Human-readable role names, shown in the user menu. */
  roleLabels?: readonly string[];
}

export interface AppShellLayoutProps {
  appName: string;
  user: ShellUser;
  links: readonly NavLinkItem[];
  currentPath: string;
  onNavigate?: Navigate;
  onSignOut: () => void;
  /** Where "My account" in the user menu goes; omitted → no such item. */
  accountHref?: string;
  children: ReactNode;
}

export const MAIN_CONTENT_ID = 'main-content';

/**
 * The page frame every signed-in screen shares: a skip link, a header (app name, user menu with
 * sign-out), the role-based navbar, and the `main` landmark the skip link targets.
 */
export function AppShellLayout({
  appName,
  user,
  links,
  currentPath,
  onNavigate,
  onSignOut,
  accountHref,
  children,
}: AppShellLayoutProps) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const navigate: Navigate | undefined = onNavigate
    ? (href) => {
        close();
        onNavigate(href);
      }
    : undefined;

  return (
    <>
      <a className="ehrms-skip-link" href={`#${MAIN_CONTENT_ID}`} onClick={focusMain}>
        Skip to content
      </a>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={opened ? 'Close navigation' : 'Open navigation'}
                aria-expanded={opened}
                aria-controls="app-navbar"
              />
              <Anchor
                href="/"
                onClick={routedClick('/', navigate)}
                fw={700}
                fz="lg"
                c="var(--mantine-color-text)"
                underline="never"
                className="ehrms-home-link"
              >
                {appName}
                <VisuallyHidden> home</VisuallyHidden>
              </Anchor>
            </Group>
            <Menu position="bottom-end" width={240} withinPortal>
              <Menu.Target>
                <Button variant="default" aria-label={`Account menu for ${user.displayName}`}>
                  {user.displayName}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  <Text size="sm" fw={600} c="var(--mantine-color-text)">
                    {user.displayName}
                  </Text>
                  {user.email ? <Text size="xs">{user.email}</Text> : null}
                  {user.roleLabels && user.roleLabels.length > 0 ? (
                    <Text size="xs">{user.roleLabels.join(', ')}</Text>
                  ) : null}
                </Menu.Label>
                {accountHref ? (
                  <Menu.Item component="a" href={accountHref} onClick={routedClick(accountHref, navigate)}>
                    My account
                  </Menu.Item>
                ) : null}
                <Menu.Item onClick={onSignOut}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" id="app-navbar">
          <NavLinks items={links} currentPath={currentPath} onNavigate={navigate} />
        </AppShell.Navbar>
        <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1} className="ehrms-main">
          {children}
        </AppShell.Main>
      </AppShell>
    </>
  );
}

// Browsers scroll to the target but do not always move keyboard focus; do it explicitly.
function focusMain() {
  document.getElementById(MAIN_CONTENT_ID)?.focus();
}
