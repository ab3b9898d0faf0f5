import { AppShellLayout, MAIN_CONTENT_ID, ProblemAlert } from '@ehrms/ui';
import { Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { problemOf } from '../api/errors.js';
import { navLinksFor } from '../auth/permissions.js';
import { session } from '../auth/session.js';
import { useMe, useSession } from '../auth/useSession.js';
import { roleLabel } from '../format.js';

/** Every signed-in page: sends anonymous visitors to the login page, otherwise frames the page. */
export function SignedInLayout() {
  const { status, user, ended } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const me = useMe();
  useFocusMainOnNavigation(location.pathname);

  if (status === 'restoring') return <FullPageLoader label="Restoring your session…" />;
  if (status === 'signed-out' || !user) {
    // After a deliberate sign-out the next person starts at their own home page.
    const from = ended === 'signed-out' ? undefined : location.pathname + location.search;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  if (me.isPending) return <FullPageLoader label="Loading your workspace…" />;

  const signOut = () => {
    void session.signOut().then(() => navigate('/login', { replace: true }));
  };
  const profile = me.data ?? { ...user, grants: {} };

  return (
    <AppShellLayout
      appName="EHRMS"
      user={{
        displayName: profile.displayName,
        email: profile.email,
        roleLabels: profile.roles.map(roleLabel),
      }}
      links={navLinksFor(me.data)}
      currentPath={location.pathname}
      onNavigate={(href) => navigate(href)}
      onSignOut={signOut}
      accountHref="/account"
    >
      {me.isError ? <ProblemAlert problem={problemOf(me.error)} /> : <Outlet />}
    </AppShellLayout>
  );
}

function FullPageLoader({ label }: { label: string }) {
  return (
    <Center mih="100vh" component="main">
      <Stack align="center" gap="xs">
        <Loader aria-hidden />
        <Text role="status">{label}</Text>
      </Stack>
    </Center>
  );
}

// After client-side navigation, put keyboard and screen-reader focus at the new page's content
// (a full page load would do that by itself).
function useFocusMainOnNavigation(pathname: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById(MAIN_CONTENT_ID)?.focus({ preventScroll: false });
  }, [pathname]);
}
