import { useSyncExternalStore } from 'react';
import { auth } from './api/auth.js';
import { Nav } from './components/nav.js';
import { TokenForm } from './components/token-form.js';
import { useLiveEvents } from './live/live-events-context.js';
import { useRoute, type Route } from './lib/route.js';
import { EventsPage } from './pages/events-page.js';
import { InsightsPage } from './pages/insights-page.js';
import { HistoryPage } from './pages/history-page.js';
import { PromotionPage } from './pages/promotion-page.js';
import { ReleasePage } from './pages/release-page.js';
import { RolloutsPage } from './pages/rollouts-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { PlanPage } from './pages/plan-page.js';
import { ReleasesPage } from './pages/releases-page.js';
import { RunPage } from './pages/run-page.js';
import { RunsPage } from './pages/runs-page.js';
import { StepPage } from './pages/step-page.js';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunPage key={route.runId} runId={route.runId} />;
    case 'step':
      return <StepPage key={`${route.runId}/${route.stepId}`} runId={route.runId} stepId={route.stepId} />;
    case 'releases':
      return <ReleasesPage />;
    case 'events':
      return <EventsPage />;
    case 'insights':
      return <InsightsPage />;
    case 'history':
      return <HistoryPage key={route.offset ?? 0} offset={route.offset ?? 0} />;
    case 'rollouts':
      return <RolloutsPage />;
    case 'release':
      return <ReleasePage key={route.releaseId} releaseId={route.releaseId} />;
    case 'promotion':
      return <PromotionPage key={route.promotionId} promotionId={route.promotionId} />;
    case 'plan':
      return <PlanPage key={`${route.branch ?? ''}#${route.pr ?? ''}`} {...(route.branch !== undefined ? { branch: route.branch } : {})} {...(route.pr !== undefined ? { pr: route.pr } : {})} />;
  }
}

export function App() {
  const route = useRoute();
  const { connection } = useLiveEvents();
  const { required, token } = useSyncExternalStore(auth.subscribe, auth.get);
  return (
    <div className="shell">
      <Nav route={route} connection={connection} />
      <main className="main">
        {required && <TokenForm hadToken={token !== null} />}
        <Page route={route} />
      </main>
    </div>
  );
}
