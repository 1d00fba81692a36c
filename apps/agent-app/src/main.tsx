import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { parseLaunch } from './launch';
import './styles.css';

// Read the launch URL before anything (the Genesys SDK clears the OAuth answer from it).
const href = window.location.href;
const launch = parseLaunch(href);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App launch={launch} href={href} />
  </StrictMode>,
);
