import { Command } from 'commander';
import { demoCommand } from './commands/demo.js';
import { devClusterCommands } from './commands/dev-cluster.js';
import { deployCommands, diffCommand } from './commands/deploy.js';
import { promotionCommands } from './commands/promotions.js';
import { insightsCommand } from './commands/insights.js';
import { initCommand } from './commands/init.js';
import { logsCommand } from './commands/logs.js';
import { planCommand } from './commands/plan.js';
import { readCommands } from './commands/read.js';
import { resourcesCommand } from './commands/resources.js';
import { runControlCommands } from './commands/run-control.js';
import { runLocalCommand } from './commands/run-local.js';
import { secretsCommand } from './commands/secrets.js';
import { serverCommand } from './commands/server.js';
import { tokensCommand } from './commands/tokens.js';
import { verifyCommand } from './commands/verify.js';
import { rolloutCommands } from './commands/rollouts.js';
import { imagesCommand } from './commands/images.js';
import { validateCommand } from './commands/validate.js';

/** Builds the `slipway` command tree. */
export function createProgram(): Command {
  const program = new Command('slipway')
    .description('Slipway: every commit from git to production, automatically and visibly.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  initCommand(program);
  validateCommand(program);
  serverCommand(program);
  demoCommand(program);
  readCommands(program);
  runControlCommands(program);
  planCommand(program);
  logsCommand(program);
  deployCommands(program);
  diffCommand(program);
  resourcesCommand(program);
  promotionCommands(program);
  insightsCommand(program);
  tokensCommand(program);
  secretsCommand(program);
  runLocalCommand(program);
  verifyCommand(program);
  rolloutCommands(program);
  imagesCommand(program);
  devClusterCommands(program);
  program.addHelpText('after', '\nExit codes: 0 ok, 1 a run or deploy failed, 2 invalid configuration, 64 usage, 66 not found, 69 unreachable, 70 internal, 75 conflict, 77 auth. See docs/reference/errors.md.');
  return program;
}
