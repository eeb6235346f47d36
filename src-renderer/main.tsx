import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { bridge } from './app/api';
import { runMenuCommand } from './app/menu';

bridge.subscribe('menu.command', (e) => void runMenuCommand(e.command));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
