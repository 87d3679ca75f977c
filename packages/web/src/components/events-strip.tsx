import { useLiveEvents } from '../live/live-events-context.js';
import { href } from '../lib/route.js';
import { EventRow } from './event-row.js';

/** The last few events, newest first, under the overview. */
export function EventsStrip({ count = 8 }: { count?: number }) {
  const { events } = useLiveEvents();
  const latest = events.slice(-count).reverse();
  return (
    <section className="panel events-strip" data-testid="events-strip">
      <header className="panel-head">
        <h2>Last events</h2>
        <a href={href({ page: 'events' })}>All events →</a>
      </header>
      {latest.length === 0 ? (
        <p className="empty">No events yet.</p>
      ) : (
        <ul className="event-list">
          {latest.map((e) => (
            <EventRow key={e.seq} event={e} compact />
          ))}
        </ul>
      )}
    </section>
  );
}
