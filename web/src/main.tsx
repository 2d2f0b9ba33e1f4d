/** Start-up: read /config.json, finish a Cognito redirect if this is one, then render the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { configureApi } from './api/client';
import { completeCognitoSignIn, isCognitoCallback } from './auth/cognito';
import { safeNext } from './auth/guards';
import { loadConfig } from './config';
import { I18nProvider, formatMessage } from './i18n';
import { createRouter } from './router';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';

async function boot() {
  const root = createRoot(document.getElementById('root')!);
  let config: Awaited<ReturnType<typeof loadConfig>>;
  try {
    config = await loadConfig();
  } catch {
    const lang = navigator.language?.startsWith('fa') ? 'fa' : 'en';
    root.render(<p className="boot-error">{formatMessage(lang, 'error.boot')}</p>);
    return;
  }
  configureApi({ baseUrl: config.apiUrl });

  if (config.auth.mode === 'cognito' && isCognitoCallback(config.auth)) {
    try {
      const next = safeNext(await completeCognitoSignIn(config.auth)) ?? '/';
      window.history.replaceState(null, '', next);
    } catch {
      window.history.replaceState(null, '', '/login?failed=1');
    }
  }

  root.render(
    <StrictMode>
      <I18nProvider>
        <RouterProvider router={createRouter()} />
      </I18nProvider>
    </StrictMode>,
  );
}

void boot();
