// Mapping templates: API Gateway's Velocity Template Language on velocityjs, parsed once per
// deployment and rendered synchronously inside a sandbox with bounds on loops, output and time.
import { Compile, parse } from 'velocityjs';
import { GatewayError } from '../pipeline/errors.js';
import { callMethod, readMember } from './java-methods.js';
import { HostObject, javaString, putEntry, type JavaMap } from './java-values.js';

/** What one render may use; API Gateway documents 1,000 #foreach iterations. */
export const TEMPLATE_LIMITS = {
  foreachIterations: 1000,
  /** any string a template produces, the output included: API Gateway's 10 MB payload */
  stringLength: 10 * 1024 * 1024,
  /** template nodes evaluated */
  steps: 250_000,
  renderMs: 500,
  macroDepth: 100,
};

export type TemplateVariables = Record<string, unknown>;

export type CompiledTemplate = {
  /** Renders with the given variables; any failure is a GatewayError (500 Internal server error). */
  render: (variables: TemplateVariables) => string;
  /** the output of a template of plain text, which needs no variables */
  constant?: string;
  /** whether the template may read each of the root variables (it names them); those it cannot are never built */
  uses: TemplateUses;
};

export type TemplateUses = { input: boolean; context: boolean; stageVariables: boolean; util: boolean };

const USES_ALL: TemplateUses = { input: true, context: true, stageVariables: true, util: true };

/** A variable a template never names (in any reference, directive or macro call) is one it cannot read. */
const usesOf = (source: string): TemplateUses => ({
  input: source.includes('input'),
  context: source.includes('context'),
  stageVariables: source.includes('stageVariables'),
  util: source.includes('util'),
});

type Ast = ReturnType<typeof parse>[number];
type Node = { type?: string; id?: string; value?: unknown; isRange?: boolean; args?: Node[]; path?: Node[]; from?: Node; to?: string; pos?: unknown };

/** A template ran past a bound or failed; the invocation answers 500 as AWS does for broken templates. */
class TemplateFailure extends Error {}

/** The gateway error of a failed render, with the reason for the worker's log. */
export class TemplateRenderError extends GatewayError {
  constructor(readonly detail: string) {
    super('API_CONFIGURATION_ERROR', 'Internal server error', 500);
  }
}

// Root-level calls like `$foo()` would reach velocityjs's built-in handlers; templates get none.
const noRootFunctions = [{ uid: 'portico: no root functions', match: () => true, resolve: () => undefined }];

class SandboxedRender extends Compile {
  private steps = 0;
  private depth = 0;
  private loops = 0;
  private readonly deadline = Date.now() + TEMPLATE_LIMITS.renderMs;

  constructor(asts: Ast[]) {
    super(asts, { customMethodHandlers: noRootFunctions });
  }

  private tick(): void {
    this.steps++;
    if (this.steps > TEMPLATE_LIMITS.steps) throw new TemplateFailure('template exceeded its evaluation steps');
    if ((this.steps & 255) === 0 && Date.now() > this.deadline) throw new TemplateFailure('template exceeded its render time');
  }

  private bounded<T>(value: T): T {
    if (typeof value === 'string' && value.length > TEMPLATE_LIMITS.stringLength) throw new TemplateFailure('template output too large');
    return value;
  }

  override renderAstList(asts?: Ast[], contextId?: string): string {
    this.tick();
    return this.bounded(super.renderAstList(asts, contextId));
  }

  /** Output goes through Java's toString: maps as `{a=1}`, JSON lists as JSON, null as nothing. */
  protected override getReferences(ast: Ast, isVal?: boolean): string {
    const value: unknown = super.getReferences(ast, isVal);
    return (isVal ? this.bounded(javaString(value)) : value) as string;
  }

  protected override getExpression(ast: Ast): string {
    return this.bounded(super.getExpression(ast));
  }

  protected override getLiteral(ast: Ast): string {
    const node = ast as Node;
    if (node.type === 'array' && node.isRange) return this.range(node) as unknown as string;
    if (node.type === 'map') {
      const map: JavaMap = {};
      for (const [key, value] of Object.entries((node.value ?? {}) as Record<string, Ast>)) putEntry(map, key, this.getLiteral(value));
      return map as unknown as string;
    }
    return super.getLiteral(ast);
  }

  private range(node: Node): number[] {
    const [begin, end] = (node.value as (string | number | Ast)[]).map((v) => Number(typeof v === 'object' ? this.getLiteral(v) : v));
    if (!Number.isInteger(begin) || !Number.isInteger(end)) return [];
    const size = Math.abs(end! - begin!) + 1;
    if (size > TEMPLATE_LIMITS.foreachIterations) throw new TemplateFailure('range too large');
    const step = begin! <= end! ? 1 : -1;
    return Array.from({ length: size }, (_, i) => begin! + i * step);
  }

  /** Property, index and method access reach only map entries, list items and the Java methods. */
  getAttributes(property: Node, baseRef: unknown): unknown {
    if (baseRef === null || baseRef === undefined) return undefined;
    if (property.type === 'method') {
      const args = (Array.isArray(property.args) ? property.args : []).map((arg) => this.getLiteral(arg as Ast));
      return this.bounded(callMethod(baseRef, property.id!, args));
    }
    if (property.type === 'property') return readMember(baseRef, property.id);
    const index = property.id as unknown as Node;
    return readMember(baseRef, this.getLiteral(index as Ast));
  }

  /** #foreach over a list (or a map's values), at most TEMPLATE_LIMITS.foreachIterations times. */
  getBlockEach(block: Ast[]): string {
    const ast = block[0] as Node;
    const from: unknown = this.getLiteral({ ...ast.from, pos: ast.pos } as Ast);
    if (from === null || typeof from !== 'object' || from instanceof HostObject) return '';
    const items: unknown[] = Array.isArray(from) ? from : Object.values(from);
    if (items.length > TEMPLATE_LIMITS.foreachIterations) throw new TemplateFailure('#foreach exceeded its iterations');
    if (!items.length) return '';
    const contextId = `foreach:${this.loops++}`;
    let out = '';
    for (let i = 0; i < items.length && !this.runState.break; i++) {
      this.local[contextId] = {
        [ast.to!]: items[i],
        foreach: { count: i + 1, index: i, hasNext: i + 1 < items.length, first: i === 0, last: i + 1 === items.length },
        velocityCount: i + 1,
      };
      out = this.bounded(out + this.renderAstList(block.slice(1), contextId));
    }
    this.runState.break = false;
    this.local[contextId] = {};
    this.conditions.shift();
    this.contextId = this.conditions[0] ?? '';
    return out;
  }

  /** Only the template's own #macro definitions (and #stop) run; includes and evaluation do not exist. */
  protected override getMacro(ast: Ast, bodyContent?: string): string {
    const id = (ast as Node).id!;
    if (id !== 'stop' && !Object.hasOwn(this.macrosStore, id)) return '';
    if (++this.depth > TEMPLATE_LIMITS.macroDepth) throw new TemplateFailure('macro recursion too deep');
    try {
      return (super.getMacro as (a: Ast, b?: string) => string).call(this, ast, bodyContent);
    } finally {
      this.depth--;
    }
  }
}

function failing(message: string): CompiledTemplate {
  return {
    uses: USES_ALL,
    render: () => {
      throw new TemplateRenderError(message);
    },
  };
}

/** Parses a template once; a template that does not parse fails each render, as AWS fails the call. */
export function compileTemplate(source: string): CompiledTemplate {
  let asts: Ast[];
  try {
    asts = parse(source);
  } catch (err) {
    return failing(`Invalid mapping template: ${(err as Error).message}`);
  }
  // Text without references, directives or escapes renders as itself: no variables to convert per request.
  if (!/[$#\\]/.test(source) && asts.every((ast) => typeof ast === 'string')) {
    const text = asts.join('');
    return { render: () => text, constant: text, uses: usesOf('') };
  }
  return {
    uses: usesOf(source),
    render: (variables) => {
      const context: TemplateVariables = Object.create(null);
      for (const [name, value] of Object.entries(variables)) putEntry(context, name, value);
      try {
        return new SandboxedRender(asts).render(context, undefined, true);
      } catch (err) {
        const detail = err instanceof TemplateFailure ? err.message : `template failed: ${(err as Error)?.message ?? String(err)}`;
        throw new TemplateRenderError(detail);
      }
    },
  };
}
