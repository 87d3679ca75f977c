import { parseWorkflowCommand, type Masker } from '@slipway/core';
import type { Annotation } from './types.js';

export interface LogSinkLine {
  stream: 'stdout' | 'stderr' | 'system';
  text: string;
}

export interface LogProcessor {
  /** Handles one raw line of step output: acts on workflow commands, masks secrets, and forwards what users should see. */
  line(stream: 'stdout' | 'stderr', raw: string): void;
}

/**
 * Workflow commands (`::add-mask::`, `::error::`, `::group::` …) are acted on here, before anything is shown or stored:
 * a value added with add-mask is masked from that line on, and the command line itself is never shown with the value.
 */
export function createLogProcessor(masker: Masker, out: (line: LogSinkLine) => void, annotate: (a: Annotation) => void): LogProcessor {
  let stopToken: string | null = null;
  return {
    line(stream, raw) {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (stopToken !== null) {
        if (text === `::${stopToken}::`) {
          stopToken = null;
          return;
        }
        out({ stream, text: masker.mask(text) });
        return;
      }
      const cmd = text.includes('::') ? parseWorkflowCommand(text) : undefined;
      if (!cmd) {
        out({ stream, text: masker.mask(text) });
        return;
      }
      switch (cmd.command) {
        case 'add-mask':
          masker.add(cmd.message);
          // GitHub shows the command with the value masked; so do we.
          out({ stream, text: `::add-mask::***` });
          return;
        case 'stop-commands':
          stopToken = cmd.message;
          out({ stream: 'system', text: `workflow commands stopped until ::${masker.mask(cmd.message)}::` });
          return;
        case 'error':
        case 'warning':
        case 'notice': {
          const message = masker.mask(cmd.message);
          const a: Annotation = { level: cmd.command, message };
          if (cmd.properties.file) a.file = masker.mask(cmd.properties.file);
          if (cmd.properties.line) a.line = Number(cmd.properties.line);
          if (cmd.properties.col) a.col = Number(cmd.properties.col);
          if (cmd.properties.title) a.title = masker.mask(cmd.properties.title);
          annotate(a);
          out({ stream, text: masker.mask(text) });
          return;
        }
        default:
          // group, endgroup, debug, echo and unknown commands stay in the log; the dashboard folds groups.
          out({ stream, text: masker.mask(text) });
      }
    },
  };
}
