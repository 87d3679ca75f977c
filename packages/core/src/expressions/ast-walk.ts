import { data, type Expr } from '@actions/expressions';

// The package index exports Expr but not its node classes, and the pure core may import only the package itself, so
// the node types are taken from the visitor interface that Expr.accept expects.
type Visitor = Parameters<Expr['accept']>[0];
export type FunctionCallNode = Parameters<Visitor['visitFunctionCall']>[0];
export type IndexAccessNode = Parameters<Visitor['visitIndexAccess']>[0];
type LiteralNode = Parameters<Visitor['visitLiteral']>[0];
type ContextAccessNode = Parameters<Visitor['visitContextAccess']>[0];

/** Callbacks for walkExpression. */
export interface ExpressionWalker {
  functionCall?(name: string, node: FunctionCallNode): void;
  contextAccess?(name: string): void;
  /** Returning true skips the children of the index access. */
  indexAccess?(node: IndexAccessNode): boolean | void;
}

/**
 * Whether a node is the `*` of `a.*` or `a[*]`. The library's Star node throws from accept() and is not exported, but
 * it is the only node without fields of its own.
 */
function isStar(node: Expr): boolean {
  return Object.keys(node).length === 0;
}

/** Visits every node of a parsed expression, depth first. */
export function walkExpression(expr: Expr, walker: ExpressionWalker): void {
  const visit = (node: Expr) => (isStar(node) ? undefined : node.accept(visitor));
  const visitor: Visitor = {
    visitLiteral: () => undefined,
    visitUnary: (n) => visit(n.expr),
    visitBinary: (n) => {
      visit(n.left);
      visit(n.right);
    },
    visitLogical: (n) => n.args.forEach(visit),
    visitGrouping: (n) => visit(n.group),
    visitContextAccess: (n) => walker.contextAccess?.(n.name.lexeme),
    visitIndexAccess: (n) => {
      if (walker.indexAccess?.(n) === true) return;
      visit(n.expr);
      visit(n.index);
    },
    visitFunctionCall: (n) => {
      walker.functionCall?.(n.functionName.lexeme, n);
      n.args.forEach(visit);
    },
  };
  visit(expr);
}

/** What kind of node an expression is. */
function kindOf(expr: Expr): 'literal' | 'context' | 'other' {
  const other = () => 'other' as const;
  if (isStar(expr)) return 'other';
  return expr.accept<'literal' | 'context' | 'other'>({
    visitLiteral: () => 'literal',
    visitContextAccess: () => 'context',
    visitUnary: other,
    visitBinary: other,
    visitLogical: other,
    visitGrouping: other,
    visitIndexAccess: other,
    visitFunctionCall: other,
  });
}

/** The value of a string literal node, or undefined for any other node. */
export function literalString(expr: Expr): string | undefined {
  if (kindOf(expr) !== 'literal') return undefined;
  const { literal } = expr as LiteralNode;
  return literal.kind === data.Kind.String ? (literal as data.StringData).value : undefined;
}

/** The name of a context access node (`secrets` in `secrets.X`), or undefined for any other node. */
export function contextName(expr: Expr): string | undefined {
  return kindOf(expr) === 'context' ? (expr as ContextAccessNode).name.lexeme : undefined;
}
