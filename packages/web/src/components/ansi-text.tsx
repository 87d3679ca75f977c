import { useMemo } from 'react';
import { parseAnsi } from '../lib/ansi.js';

/** Log text with its ANSI colours as spans (`ansi-<colour>`, `ansi-bold`); the text is never parsed as HTML. */
export function AnsiText({ text }: { text: string }) {
  const segments = useMemo(() => parseAnsi(text), [text]);
  return (
    <>
      {segments.map((s, i) => {
        if (!s.color && !s.bold) return s.text;
        const classes = [s.color && `ansi-${s.color}`, s.bold && 'ansi-bold'].filter(Boolean).join(' ');
        return (
          <span key={i} className={classes} data-ansi={classes}>
            {s.text}
          </span>
        );
      })}
    </>
  );
}
