import { lazy, Suspense, useEffect, useState } from 'react';
import { AppShell, Badge, Burger, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { api, ok, session } from './api/client';
import { MeContext, can, type Me } from './session';
import { SignIn } from './SignIn';
import { Link, match, useRoute } from './router';
import { CampaignsPage } from './pages/CampaignsPage';

// Screens other than the campaigns list load on demand, keeping the first download small.
const CampaignWizard = lazy(() => import('./pages/wizard/CampaignWizard'));
const CampaignPage = lazy(() => import('./pages/campaign/CampaignPage'));
const RewardsPage = lazy(() => import('./pages/RewardsPage'));
const MembersPage = lazy(() => import('./pages/MembersPage'));
const JobsPage = lazy(() => import('./pages/JobsPage'));
const WebhooksPage = lazy(() => import('./pages/webhooks/WebhooksPage'));

const NAV = [
  { to: '/campaigns', label: 'Campaigns' },
  { to: '/rewards', label: 'Rewards' },
  { to: '/members', label: 'Members' },
  { to: '/jobs', label: 'Jobs', needs: 'jobs' as const },
  { to: '/webhooks', label: 'Webhooks', needs: 'webhooks' as const },
];

function Screen({ path }: { path: string }) {
  let params;
  if (path === '/' || path === '/campaigns') return <CampaignsPage />;
  if (path === '/campaigns/new') return <CampaignWizard />;
  if ((params = match('/campaigns/:id', path))) return <CampaignPage id={params.id} />;
  if (path === '/rewards') return <RewardsPage />;
  if (path === '/members') return <MembersPage />;
  if (path === '/jobs') return <JobsPage />;
  if (path === '/webhooks') return <WebhooksPage />;
  return (
    <Text>
      Nothing here. <Link to="/campaigns">Back to campaigns</Link>
    </Text>
  );
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(Boolean(session.key()));
  const [opened, { toggle, close }] = useDisclosure();
  const { path } = useRoute();

  useEffect(() => {
    if (!session.key()) return;
    ok(api.GET('/v1/me'))
      .then((m) => (m.role === 'producer' ? session.clear() : setMe(m)))
      .catch(() => session.clear())
      .finally(() => setChecking(false));
  }, []);
  useEffect(close, [path]);

  if (checking)
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  if (!me) return <SignIn onSignedIn={setMe} />;

  return (
    <MeContext.Provider value={me}>
      <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
              <Title order={4} style={{ whiteSpace: 'nowrap' }} visibleFrom="xs">
                Loyalty codes
              </Title>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <Badge variant="light" size="md" aria-label={`Signed in as ${me.role}`}>
                {me.role}
              </Badge>
              <Button
                variant="subtle"
                size="compact-xs"
                onClick={() => {
                  session.clear();
                  setMe(null);
                }}
              >
                Sign out
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm" aria-label="Main">
          <Stack gap={4}>
            {NAV.filter((n) => !n.needs || can(me, n.needs)).map((n) => (
              <Link key={n.to} to={n.to} className="nav-link" current={path.startsWith(n.to) || (n.to === '/campaigns' && path === '/')}>
                {n.label}
              </Link>
            ))}
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main>
          <Suspense
            fallback={
              <Center p="xl">
                <Loader aria-label="Loading" />
              </Center>
            }
          >
            <Screen path={path} />
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </MeContext.Provider>
  );
}
