import { useState } from 'react';
import { EventRow } from '../components/event-row.js';
import { useLiveEvents } from '../live/live-events-context.js';

const prefixes = ['run.', 'job.', 'deployment.', 'release.', 'promotion.', 'health.', 'commit.', 'service.', 'drift.', 'source.', 'project.'] as const;

/** The event log, newest first, live; filterable by kind prefix. */
export function EventsPage() {
  const { events, connection } = useLiveEvents();
  const [prefix, setPrefix] = useState<string | null>(null);
  const shown = events.filter((e) => prefix === null || e.kind.startsWith(prefix)).reverse();

  return (
    <div className="page" data-testid="events-page">
      <header className="page-head">
        <h1>Events</h1>
        <span className="muted small">{connection === 'live' ? 'live' : connection}</span>
      </header>
      <div className="filters" role="group" aria-label="Filter by kind">
        <button type="button" className={prefix === null ? 'chip-button active' : 'chip-button'} onClick={() => setPrefix(null)} data-testid="event-filter" data-prefix="">
          all
        </button>
        {prefixes.map((p) => (
          <button key={p} type="button" className={prefix === p ? 'chip-button active' : 'chip-button'} onClick={() => setPrefix(p)} data-testid="event-filter" data-prefix={p}>
            {p}
          </button>
        ))}
      </div>
      <section className="panel">
        {shown.length === 0 ? (
          <p className="empty">{events.length === 0 ? 'No events yet.' : `No ${prefix ?? ''} events among the last ${events.length}.`}</p>
        ) : (
          <ul className="event-list timeline">
            {shown.map((e) => (
              <EventRow key={e.seq} event={e} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
