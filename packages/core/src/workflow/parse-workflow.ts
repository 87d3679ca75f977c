import type { ParseResult } from '../config/parse-config.js';
import { checkContextReferences } from './check-context-references.js';
import { checkJobGraph } from './check-graph.js';
import { parseDocumentWith } from './parse-document.js';
import { workflowSchema, type Workflow } from './schema.js';

/**
 * Parses a workflow file in GitHub Actions syntax and checks it: the schema (unknown keys included), the job graph
 * (every need exists, no cycle) and references to other jobs in expressions. Every problem is reported, in source
 * order, as a SlipwayError with file:line:col. Pure: the caller reads the file.
 */
export function parseWorkflow(text: string, file: string): ParseResult<Workflow> {
  return parseDocumentWith(text, file, workflowSchema, { check: (input) => [...checkJobGraph(input), ...checkContextReferences(input)] });
}
