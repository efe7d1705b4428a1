// The web app's entry: Mantine theme, language, session, routes. Each area is
// a lazily loaded chunk, so the first load carries only the shell.
import '@mantine/core/styles.css';
import { Center, Loader, MantineProvider, Text } from '@mantine/core';
import { lazy, StrictMode, Suspense, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { areasFor } from './areas.ts';
import {
  createI18n,
  I18nContext,
  initialLanguage,
  type Language,
  rememberLanguage,
  storedLanguage,
  useI18n,
} from './i18n.ts';
import { HomePage } from './pages/HomePage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { Shell } from './pages/Shell.tsx';
import { SessionProvider, useSession } from './session.tsx';

const Planner = lazy(() => import('./planner/Planner.tsx').then((module) => ({ default: module.Planner })));

const OperatorDesktop = lazy(() =>
  import('./operator/OperatorDesktop.tsx').then((module) => ({ default: module.OperatorDesktop })),
);
const Wallboard = lazy(() =>
  import('./supervisor/Wallboard.tsx').then((module) => ({ default: module.Wallboard })),
);
const SlaDashboard = lazy(() =>
  import('./sla/SlaDashboard.tsx').then((module) => ({ default: module.SlaDashboard })),
);
const Supporters = lazy(() =>
  import('./portal/Supporters.tsx').then((module) => ({ default: module.Supporters })),
);
const Exports = lazy(() => import('./portal/Exports.tsx').then((module) => ({ default: module.Exports })));
const Admin = lazy(() => import('./admin/Admin.tsx').then((module) => ({ default: module.Admin })));
const Importer = lazy(() =>
  import('./importer/Importer.tsx').then((module) => ({ default: module.Importer })),
);
const Reports = lazy(() => import('./reports/Reports.tsx').then((module) => ({ default: module.Reports })));

function App() {
  const [language, setLanguageState] = useState<Language>(() =>
    initialLanguage(storedLanguage(), navigator.languages ?? [navigator.language]),
  );
  const i18n = useMemo(
    () =>
      createI18n(language, (next) => {
        rememberLanguage(next);
        document.documentElement.lang = next;
        setLanguageState(next);
      }),
    [language],
  );
  document.documentElement.lang = language;
  return (
    <I18nContext value={i18n}>
      <SessionProvider>
        <BrowserRouter>
          <Routed />
        </BrowserRouter>
      </SessionProvider>
    </I18nContext>
  );
}

function Routed() {
  const { session, loading } = useSession();
  const { t } = useI18n();
  if (loading)
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  if (!session) return <LoginPage />;
  const allowed = new Set(areasFor(session.role).map((area) => area.id));
  return (
    <Shell>
      <Suspense fallback={<Loader />}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          {allowed.has('operator') && <Route path="/operator" element={<OperatorDesktop />} />}
          {allowed.has('wallboard') && <Route path="/wallboard" element={<Wallboard />} />}
          {allowed.has('reports') && <Route path="/reports/:orgId?" element={<Reports />} />}
          {allowed.has('sla') && <Route path="/sla/:orgId?" element={<SlaDashboard />} />}
          {allowed.has('supporters') && (
            <Route path="/supporters/:orgId?/:supporterId?" element={<Supporters />} />
          )}
          {allowed.has('exports') && <Route path="/exports/:orgId?" element={<Exports />} />}
          {allowed.has('admin') && <Route path="/admin/:orgId?" element={<Admin />} />}
          {allowed.has('imports') && <Route path="/imports/:orgId?" element={<Importer />} />}
          {allowed.has('planner') && <Route path="/planner" element={<Planner />} />}
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route path="*" element={<Text role="alert">{t('error.notFound')}</Text>} />
        </Routes>
      </Suspense>
    </Shell>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <MantineProvider defaultColorScheme="light">
      <App />
    </MantineProvider>
  </StrictMode>,
);
