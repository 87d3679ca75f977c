import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { createEventStream } from './live/event-stream.js';
import { LiveEventsProvider } from './live/live-events-context.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <LiveEventsProvider stream={createEventStream()}>
      <App />
    </LiveEventsProvider>
  </StrictMode>,
);
