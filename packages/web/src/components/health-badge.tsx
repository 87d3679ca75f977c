import type { Health } from '@slipway/core';
import { healthTone } from '../lib/tones.js';
import { Badge } from './badge.js';

export function HealthBadge({ health }: { health: Health }) {
  return (
    <Badge tone={healthTone[health]}>
      <span className="dot" aria-hidden="true" />
      {health}
    </Badge>
  );
}
