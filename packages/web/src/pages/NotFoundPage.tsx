import { PageHeader } from '@ehrms/ui';
import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { usePageTitle } from '../pageTitle.js';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <>
      <PageHeader title="Page not found" />
      <Text>
        There is no page at this address.{' '}
        <Anchor component={Link} to="/">
          Go to your home page
        </Anchor>
        .
      </Text>
    </>
  );
}
