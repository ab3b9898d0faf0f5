import { PageHeader } from '@ehrms/ui';
import { Anchor, Text } from '@mantine/core';
import { Link, Outlet } from 'react-router';
import { can } from '../auth/permissions.js';
import { useMe } from '../auth/useSession.js';
import { usePageTitle } from '../pageTitle.js';

/** Pages for one permission; others see a plain explanation instead (the API would refuse anyway). */
export function RequirePermission({ permission }: { permission: string }) {
  const me = useMe();
  if (!can(me.data, permission)) return <NoAccess />;
  return <Outlet />;
}

function NoAccess() {
  usePageTitle('No access');
  return (
    <>
      <PageHeader title="You do not have access to this page" />
      <Text>
        Your roles do not include this screen. If you need it, ask your agency administrator.{' '}
        <Anchor component={Link} to="/">
          Go to your home page
        </Anchor>
        .
      </Text>
    </>
  );
}
