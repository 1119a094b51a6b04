/**
 * Every answer an integration test gets through TestClub.api is checked against
 * docs/openapi.json: the status is one the operation lists, the content type one
 * it lists for that status, the body valid by its schema and the headers it says
 * are always sent are there. So every integration test is a contract check too.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

const DOC_ID = 'openapi.json';
const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as Json;

/** OpenAPI 3.0's exclusiveMinimum/Maximum are flags on minimum/maximum; Ajv (JSON Schema draft 7) wants the bound itself. */
function asDraft7(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asDraft7);
  if (!node || typeof node !== 'object') return node;
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, asDraft7(v)]));
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (out[flag] === true) {
      out[flag] = out[bound];
      delete out[bound];
    } else if (out[flag] === false) delete out[flag];
  }
  return out;
}

// OpenAPI 3.0 schemas: `nullable` is Ajv's own option; `example` and `x-*` are only words to it.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
addFormats.default(ajv);
ajv.addSchema(asDraft7(doc) as Json, DOC_ID);

const validators = new Map<string, ValidateFunction>();
/** A compiled validator for a schema inside the document, by its JSON pointer. */
function validatorAt(pointer: string[]): ValidateFunction {
  const ref = `${DOC_ID}#/${pointer.map((p) => encodeURIComponent(p.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/')}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

const templates = Object.keys(doc.paths as Json).map((template) => ({
  template,
  segments: template.split('/'),
  literals: template.split('/').filter((s) => !s.startsWith('{')).length,
}));

/** The document's path template for a request path: literal segments beat parameters, as API Gateway does. */
function templateOf(rawPath: string): string | undefined {
  const parts = rawPath.split('/');
  return templates
    .filter((t) => t.segments.length === parts.length && t.segments.every((s, i) => (s.startsWith('{') ? parts[i] !== '' : s === parts[i])))
    .sort((a, b) => b.literals - a.literals)[0]?.template;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly body: unknown;
}

/** What is wrong with the answer by the document; empty when nothing is. */
export function contractProblems(method: string, path: string, answer: Answer): string[] {
  const rawPath = path.split('?')[0]!;
  const template = templateOf(rawPath);
  const operation = template ? (doc.paths[template] as Json)[method.toLowerCase()] : undefined;
  const where = `${method} ${rawPath} → ${answer.status}`;
  if (!operation) {
    // Off the document (an unknown path or method): only the edge's own refusals may answer.
    const expected = template ? 405 : 404;
    return answer.status === expected || /^\/(club|admin)(\/|$)/.test(rawPath) ? [] : [`${where}: no documented operation`];
  }
  const response = (operation.responses as Json)[String(answer.status)] as Json | undefined;
  if (!response)
    return [`${where}: status not documented for ${operation.operationId} (documented: ${Object.keys(operation.responses).join(', ')})`];
  const problems: string[] = [];
  for (const [name, header] of Object.entries((response.headers ?? {}) as Json)) {
    const required = header.$ref ? doc.components.headers[String(header.$ref).split('/').pop()!].required : header.required;
    if (required && answer.headers[name.toLowerCase()] === undefined) problems.push(`${where}: header ${name} missing`);
  }
  const content = (response.content ?? {}) as Json;
  if (answer.text === '' && Object.keys(content).length === 0) return problems;
  const media = (answer.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!(media in content))
    return [...problems, `${where}: content type "${media}" not documented (documented: ${Object.keys(content).join(', ')})`];
  if (media === 'application/json') {
    const validate = validatorAt([
      'paths',
      template!,
      method.toLowerCase(),
      'responses',
      String(answer.status),
      'content',
      media,
      'schema',
    ]);
    if (!validate(answer.body)) {
      problems.push(...(validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
    }
  }
  return problems;
}
