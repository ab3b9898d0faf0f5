import '@mantine/core/styles.css';
import { ehrmsCssVariables, ehrmsTheme } from '@ehrms/ui';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api/errors.js';
import { App } from './App.js';
import { session } from './auth/session.js';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Refusals and validation errors will not change on retry; only outages might.
      retry: (failures, error) => failures < 2 && (!(error instanceof ApiError) || error.status >= 500),
    },
    mutations: { retry: false },
  },
});

// Nothing cached for one user may show for the next.
session.subscribe(() => {
  if (session.getSnapshot().status === 'signed-out') queryClient.clear();
});
// Once, before the first render (not in an effect, which StrictMode runs twice).
void session.restore().catch(() => undefined);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={ehrmsTheme} cssVariablesResolver={ehrmsCssVariables}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
