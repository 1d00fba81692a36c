import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { langOf } from './i18n';
import { parseJoinLink, withoutFragment } from './link';
import './styles.css';

// The join link's fragment carries the citizen token: read it once, then take it out of the
// address bar and the history entry before anything else runs. It lives in memory only.
const link = parseJoinLink(window.location.hash);
if (window.location.hash) history.replaceState(null, '', withoutFragment(window.location.href));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App link={link} initialLang={link?.lang ?? langOf(navigator.language)} />
  </StrictMode>,
);
