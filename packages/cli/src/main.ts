import { CommanderError } from 'commander';
import { SlipwayError } from '@slipway/core';
import { printError } from './output.js';
import { createProgram } from './program.js';

export async function main(argv: string[]): Promise<void> {
  const program = createProgram();
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; usage errors exit 64 like every other SLW_USAGE.
      process.exitCode = err.exitCode === 0 ? 0 : printErrorUsage(err);
      return;
    }
    process.exitCode = printError(err);
  }
}

function printErrorUsage(err: CommanderError): number {
  if (err.code === 'commander.help' || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
  return printError(new SlipwayError('SLW_USAGE', err.message.replace(/^error: /, '')));
}

await main(process.argv);
