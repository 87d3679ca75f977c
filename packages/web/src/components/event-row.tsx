import type { SlipwayEvent } from '@slipway/core';
import { clockTime, dateTime } from '../lib/format.js';
import { eventTone } from '../lib/tones.js';
import { Badge } from './badge.js';
import { SubjectLink } from './subject-link.js';

/** One event: time, kind, message and subject. `compact` drops the subject for the overview strip. */
export function EventRow({ event, compact = false }: { event: SlipwayEvent; compact?: boolean }) {
  return (
    <li className={compact ? 'event-row compact' : 'event-row'} data-testid="event-row" data-kind={event.kind} data-seq={event.seq}>
      <time className="event-time mono" dateTime={event.ts} title={dateTime(event.ts)}>
        {clockTime(event.ts)}
      </time>
      <Badge tone={eventTone(event.kind)}>{event.kind}</Badge>
      <span className="event-message">{event.message}</span>
      {!compact && <SubjectLink subject={event.subject} />}
    </li>
  );
}
