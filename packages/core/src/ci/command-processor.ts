import { parseWorkflowCommand, type WorkflowCommand } from './workflow-commands.js';

/** The commands a step's output can give that Slipway acts on; any other `::name::` line stays in the log as it is. */
const actedOnCommands = ['error', 'warning', 'notice', 'debug', 'add-mask', 'group', 'endgroup', 'stop-commands', 'echo'] as const;

/** What one line of step output means. */
export type ProcessedLine =
  /** Log the text as it is: plain output, a command Slipway does not act on, or any command while commands are stopped. */
  | { kind: 'output'; text: string }
  /**
   * Act on the command. `echo` says whether to show the raw line too (`::echo::on`); it is always false for add-mask,
   * whose line holds the secret.
   */
  | { kind: 'command'; command: WorkflowCommand; echo: boolean }
  /** Commands are stopped until `::<token>::`. Log the line; a token longer than 6 characters is itself a secret to mask. */
  | { kind: 'stop-commands'; token: string; text: string }
  /** The `::<token>::` line that resumes commands. Log it. */
  | { kind: 'resume-commands'; text: string }
  /** A command Slipway acts on, given wrongly: report `reason` at `level`; the line is not shown (it may hold a secret). */
  | { kind: 'invalid'; command: WorkflowCommand; level: 'warning' | 'error'; reason: string };

/** Tracks the state that spans lines: stop-commands and echo. */
export interface CommandProcessor {
  process(line: string): ProcessedLine;
  /** The token commands are stopped with, or undefined while commands are processed. */
  readonly stopToken: string | undefined;
  readonly echo: boolean;
}

const acted = new Set<string>(actedOnCommands);
/** Names a stop token must not take: every command the runner knows, acted on here or not. */
const reserved = new Set<string>([...actedOnCommands, 'set-output', 'set-env', 'save-state', 'add-path', 'add-matcher', 'remove-matcher', 'pause-logging']);

/**
 * A processor for the output of one step, with the runner's semantics: after `::stop-commands::TOKEN` no line is a
 * command until `::TOKEN::` (matched case-insensitively); a token that is empty or names a command is refused, since a
 * log line an attacker controls could otherwise switch command processing off; `::echo::on|off` decides whether command
 * lines are shown as well as acted on (default off, as without ACTIONS_STEP_DEBUG).
 */
export function createCommandProcessor(options: { echo?: boolean } = {}): CommandProcessor {
  let stopToken: string | undefined;
  let echo = options.echo ?? false;

  function process(line: string): ProcessedLine {
    const command = line.includes('::') ? parseWorkflowCommand(line) : undefined;
    if (stopToken !== undefined) {
      if (command && command.command === stopToken.toLowerCase()) {
        stopToken = undefined;
        return { kind: 'resume-commands', text: line };
      }
      return { kind: 'output', text: line };
    }
    if (!command || !acted.has(command.command)) return { kind: 'output', text: line };

    switch (command.command) {
      case 'stop-commands': {
        const token = command.message;
        if (token === '' || reserved.has(token.toLowerCase())) {
          return { kind: 'invalid', command, level: 'error', reason: 'stop-commands needs a token that is not empty and not the name of a command; use a random one' };
        }
        stopToken = token;
        return { kind: 'stop-commands', token, text: line };
      }
      case 'add-mask':
        if (command.message.trim() === '') return { kind: 'invalid', command, level: 'warning', reason: "Can't add secret mask for empty string in ::add-mask:: command." };
        return { kind: 'command', command, echo: false };
      case 'echo': {
        const value = command.message.trim().toLowerCase();
        if (value !== 'on' && value !== 'off') return { kind: 'invalid', command, level: 'error', reason: "Invalid echo command value. Possible values can be: 'on', 'off'." };
        const shown = echo;
        echo = value === 'on';
        return { kind: 'command', command, echo: shown };
      }
      default:
        return { kind: 'command', command, echo };
    }
  }

  return {
    process,
    get stopToken() {
      return stopToken;
    },
    get echo() {
      return echo;
    },
  };
}
