import type { StepOutput } from '../ports/executor.js';

/**
 * Turns one output stream's byte chunks into lines. The decoder keeps a multi-byte character cut between two chunks,
 * and the text after the last newline waits for the next chunk, so that a line written in pieces arrives whole.
 */
export function createLineSplitter(stream: StepOutput['stream'], onOutput: (out: StepOutput) => void): { push(chunk: Uint8Array): void; flush(): void } {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  const emit = (text: string) => {
    const parts = (rest + text).split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) onOutput({ stream, text });
  };
  return {
    push: (chunk) => emit(decoder.decode(chunk, { stream: true })),
    flush() {
      emit(decoder.decode());
      if (rest) onOutput({ stream, text: rest });
      rest = '';
    },
  };
}
