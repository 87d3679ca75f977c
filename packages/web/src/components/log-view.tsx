import type { LogLine } from '@slipway/core';
import { useLayoutEffect, useRef } from 'react';
import { clockTime } from '../lib/format.js';
import { AnsiText } from './ansi-text.js';

const maxLines = 5000;

/**
 * A run's log: monospace, ANSI colours kept, stderr tinted, a heading where the step changes. It follows new lines while the reader
 * is at the bottom and stays put when they scroll up to read.
 */
export function LogView({ lines, stepNames, ended }: { lines: readonly LogLine[]; stepNames: ReadonlyMap<string, string>; ended: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const shown = lines.length > maxLines ? lines.slice(-maxLines) : lines;

  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown.length, ended]);

  const onScroll = () => {
    const el = box.current;
    if (el) stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 24;
  };

  let previousStep: string | null | undefined;
  return (
    <div className="log" ref={box} onScroll={onScroll} data-testid="log-view" data-lines={lines.length} data-ended={String(ended)}>
      {lines.length > maxLines && <div className="log-note">Showing the last {maxLines} of {lines.length} lines.</div>}
      {shown.length === 0 && <div className="log-note">{ended ? 'No output.' : 'Waiting for output…'}</div>}
      {shown.map((l) => {
        const heading = l.stepId !== previousStep && l.stepId !== null ? stepNames.get(l.stepId) : undefined;
        previousStep = l.stepId;
        return (
          <div key={l.seq}>
            {heading && <div className="log-step">▸ {heading}</div>}
            <div className={`log-line ${l.stream}`} data-testid="log-line" data-stream={l.stream}>
              <span className="log-ts">{clockTime(l.ts)}</span>
              <span className="log-text">
                <AnsiText text={l.text} />
              </span>
            </div>
          </div>
        );
      })}
      {ended && shown.length > 0 && <div className="log-note">End of log.</div>}
    </div>
  );
}
