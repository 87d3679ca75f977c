import { data } from '@actions/expressions';
import type { ExpressionOptions } from './types.js';

/** The library's own definition shape (funcs/info.d.ts); the package index does not export it. */
interface FunctionDefinition {
  name: string;
  minArgs: number;
  maxArgs: number;
  call: (...args: data.ExpressionData[]) => data.ExpressionData;
}

/** The functions of `if:` conditions; an `if:` that calls none of them is `success() && (…)`. */
export const statusFunctionNames = ['success', 'failure', 'always', 'cancelled'] as const;

/** Every function an expression may call, for hints. */
export const functionNames = ['contains', 'startsWith', 'endsWith', 'format', 'join', 'toJSON', 'fromJSON', 'hashFiles', 'case', ...statusFunctionNames];

/** GitHub caps format() and hashFiles() at 255 arguments. */
const maxArguments = 255;

/**
 * The functions @actions/expressions leaves to the host: the status functions and hashFiles. Keys are lower case, as
 * the evaluator looks them up.
 */
export function hostFunctions(options: ExpressionOptions): Map<string, FunctionDefinition> {
  const status = options.status;
  const fixed = (name: string, value: () => boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value()),
  });
  const definitions: FunctionDefinition[] = [
    fixed('success', () => status?.success() ?? true),
    fixed('failure', () => status?.failure() ?? false),
    fixed('cancelled', () => status?.cancelled() ?? false),
    // always() is true even when the run is cancelled; that is its point.
    fixed('always', () => true),
    {
      name: 'hashFiles',
      minArgs: 1,
      maxArgs: maxArguments,
      call: (...args) => {
        if (!options.hashFiles) throw new Error('hashFiles() is not available here: it needs the workspace, which only steps have');
        return new data.StringData(options.hashFiles(args.map((a) => a.coerceString())));
      },
    },
  ];
  return new Map(definitions.map((d) => [d.name.toLowerCase(), d]));
}

/** The parser needs to know the host functions and their arities; their implementations come at evaluation. */
export const hostFunctionInfo = [...hostFunctions({}).values()].map(({ name, minArgs, maxArgs }) => ({ name, minArgs, maxArgs }));
