// Mapping templates: $input, $util, $context, $stageVariables and Java methods render as API
// Gateway renders them; templates stay inside their sandbox and within their bounds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDeployment } from '../../src/data-plane/compile/index.js';
import { contextVariables } from '../../src/data-plane/mapping/context-variables.js';
import { escapeJavaScript, urlDecode, urlEncode } from '../../src/data-plane/mapping/util.js';
import { renderGatewayTemplate, templateVariables } from '../../src/data-plane/mapping/variables.js';
import { compileTemplate, TEMPLATE_LIMITS } from '../../src/data-plane/mapping/vtl.js';
import type { InvocationContext } from '../../src/data-plane/pipeline/context.js';
import { GatewayError } from '../../src/data-plane/pipeline/errors.js';
import { testInvocation } from '../helpers/invocation.js';

const deployment = compileDeployment({
  restApiId: 'a1b2c3d4e5',
  deploymentId: 'dep123',
  accountId: '123456789012',
  api: { name: 'test' },
  resources: [{ id: 'res123', path: '/pets/{petId}', methods: {} }],
  models: [],
  requestValidators: [],
  authorizers: [],
  gatewayResponses: [],
});

function invocation(body = '', headers: Record<string, string[]> = {}): InvocationContext {
  return testInvocation(deployment, { env: 'test' }, {
    path: '/pets/42',
    segments: ['pets', '42'],
    query: { color: ['red', 'blue'], q: ['x y'] },
    headers: { 'user-agent': ['test-agent'], 'x-custom': ['one'], ...headers },
    rawHeaderNames: { 'user-agent': 'User-Agent', 'x-custom': 'X-Custom' },
    body: Buffer.from(body),
    received: { path: '/dev/pets/42', query: 'color=red&color=blue&q=x%20y', body: Buffer.from(body) },
    pathParams: { petId: '42' },
  });
}

function render(template: string, body = ''): string {
  const ctx = invocation(body);
  return compileTemplate(template).render(templateVariables(ctx, ctx.body, contextVariables(ctx)));
}

function assertFails(template: string, body = '') {
  assert.throws(
    () => render(template, body),
    (err) => err instanceof GatewayError && err.type === 'API_CONFIGURATION_ERROR' && err.statusCode === 500 && err.message === 'Internal server error',
  );
}

describe('$input', () => {
  it('formats $input.path as the recorded AWS responses show: maps as {k=v}, JSON lists as JSON', () => {
    assert.equal(render("$input.path('$')", '{"foo":"bar"}'), '{foo=bar}');
    assert.equal(render("$input.path('$')", '[{"foo":"bar"}]'), '[{"foo":"bar"}]');
    assert.equal(render("$input.path('$.nested')", '{"nested":{"foo":"bar"}}'), '{foo=bar}');
    assert.equal(render("$input.path('$.nested')", '{"nested":[{"foo":"bar"}]}'), '[{"foo":"bar"}]');
    assert.equal(render("$input.path('$[0]')", '[{"foo":"bar"}]'), '{foo=bar}');
    assert.equal(render("$input.path('$')", '{"foo":[{"nested":"bar"}]}'), '{foo=[{"nested":"bar"}]}');
    assert.equal(render("$input.path('$')", '{"bigger":"dict","to":"test","with":"separators"}'), '{bigger=dict, to=test, with=separators}');
    assert.equal(render("$input.path('$').toString()", '{"foo":"bar"}'), '{foo=bar}');
    assert.equal(render("$input.path('$').toString()", '{"list":[{"foo":"bar"}]}'), '{list=[{"foo":"bar"}]}');
  });

  it('renders missing and null values as nothing, as the recorded empty-body cases show', () => {
    const template = `{"body": $input.path('$.body'), "nested": $input.path('$.body.nested'), "isNull": "#if($input.path('$.body') == $null)true#{else}false#end", "isEmptyString": "#if("$input.path('$.body')" == "")true#{else}false#end"}`;
    assert.equal(render(template, ''), '{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}');
    assert.equal(render(template, '{"body":[]}'), '{"body": [], "nested": , "isNull": "false", "isEmptyString": "false"}');
    assert.equal(render(template, '{"body":null}'), '{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}');
  });

  it('gives the raw body, and an empty body as {}', () => {
    assert.equal(render('Action=SendMessage&MessageBody=$input.body', '{"some": "value"}'), 'Action=SendMessage&MessageBody={"some": "value"}');
    assert.equal(render('Action=SendMessage&MessageBody=$input.body', 'some raw data'), 'Action=SendMessage&MessageBody=some raw data');
    assert.equal(render('$input.body', ''), '{}');
    assert.equal(render('EncodedBody=$util.urlEncode($input.body)&EncodedBodyAccess=$util.urlEncode($input.body.some)', '{"some": "value"}'), 'EncodedBody=%7B%22some%22%3A+%22value%22%7D&EncodedBodyAccess=');
  });

  it('serializes $input.json as compact JSON', () => {
    const body = '{"name": "Rex", "tags": ["a", "b"], "owner": {"id": 7}, "age": 3, "nothing": null}';
    assert.equal(render("$input.json('$')", body), '{"name":"Rex","tags":["a","b"],"owner":{"id":7},"age":3,"nothing":null}');
    assert.equal(render("$input.json('$.name')", body), '"Rex"');
    assert.equal(render("$input.json('$.owner')", body), '{"id":7}');
    assert.equal(render("$input.json('$.age')", body), '3');
    assert.equal(render("$input.json('$.nothing')", body), 'null');
    assert.equal(render("$input.json('$.tags[1]')", body), '"b"');
  });

  it('evaluates the JSONPath forms templates use', () => {
    const body = JSON.stringify({ store: { book: [{ title: 'A', price: 8 }, { title: 'B', price: 12 }, { title: 'C', price: 30 }] } });
    assert.equal(render("$input.json('$.store.book[*].title')", body), '["A","B","C"]');
    assert.equal(render("$input.json('$..title')", body), '["A","B","C"]');
    assert.equal(render("$input.json('$.store.book[-1].title')", body), '"C"');
    assert.equal(render("$input.json('$.store.book[0:2].title')", body), '["A","B"]');
    assert.equal(render("$input.json('$.store.book[?(@.price < 10)].title')", body), '["A"]');
    assert.equal(render("$input.json(\"$['store']['book'][1]['title']\")", body), '"B"');
    assert.equal(render("$input.path('$.store.book').size()", body), '3');
    assert.equal(render("#foreach($b in $input.path('$.store.book'))$b.title#if($foreach.hasNext),#end#end", body), 'A,B,C');
  });

  it('reads parameters from path, query string, then headers', () => {
    assert.equal(render("$input.params('petId') $input.params('q') $input.params('x-custom') $input.params('X-CUSTOM') [$input.params('none')]"), '42 x y one one []');
    assert.equal(render("$input.params('color')"), 'blue');
    assert.equal(render("$input.params().path.petId $input.params().querystring.q $input.params().header.get('X-Custom')"), '42 x y one');
    assert.equal(render('#foreach($type in $input.params().keySet())$type #end'), 'path querystring header ');
  });
});

describe('$util', () => {
  it('escapes for JavaScript as Commons Lang does', () => {
    assert.equal(escapeJavaScript(`He said "it's" a/b\\c\n\t`), `He said \\"it\\'s\\" a\\/b\\\\c\\n\\t`);
    assert.equal(escapeJavaScript('é€'), '\\u00E9\\u20AC');
    assert.equal(render(`$util.escapeJavaScript($input.body)`, '{"a":"b"}'), '{\\"a\\":\\"b\\"}');
  });

  it('URL-encodes and decodes as java.net does', () => {
    assert.equal(urlEncode("a b&c=d/é*~'"), 'a+b%26c%3Dd%2F%C3%A9*%7E%27');
    assert.equal(urlDecode('a+b%26c'), 'a b&c');
    assert.equal(render("$util.urlDecode('x%20y+z')"), 'x y z');
  });

  it('encodes and decodes base64 and parses JSON', () => {
    assert.equal(render("$util.base64Encode('hello world')"), 'aGVsbG8gd29ybGQ=');
    assert.equal(render("$util.base64Decode('aGVsbG8gd29ybGQ=')"), 'hello world');
    assert.equal(render(`#set($o = $util.parseJson($input.body))$o.a.b $o.list.size()`, '{"a":{"b":"deep"},"list":[1,2,3]}'), 'deep 3');
  });

  it('fails the render on malformed input, as Java throws', () => {
    assertFails("$util.parseJson('{nope')");
    assertFails("$util.urlDecode('%E0%A4%A')");
  });
});

describe('$context and $stageVariables', () => {
  it('renders the documented request context', () => {
    const template = '$context.requestId $context.extendedRequestId $context.accountId $context.apiId $context.stage $context.resourceId $context.resourcePath $context.httpMethod $context.path $context.protocol $context.domainName $context.domainPrefix';
    assert.equal(render(template), 'req-1 ext-1 123456789012 a1b2c3d4e5 dev res123 /pets/{petId} POST /dev/pets/42 HTTP/1.1 a1b2c3d4e5.execute-api.localhost a1b2c3d4e5');
    assert.equal(render('$context.requestTime|$context.requestTimeEpoch'), `03/Feb/2024:04:05:06 +0000|${Date.UTC(2024, 1, 3, 4, 5, 6)}`);
    assert.equal(render('$context.identity.sourceIp|$context.identity.userAgent|$context.identity.caller|$context.identity.apiKey|'), '10.0.0.7|test-agent|||');
    assert.equal(render('$stageVariables.env [$stageVariables.missing]'), 'test []');
  });

  it('gives gateway response templates $context.error.*', () => {
    const ctx = invocation();
    const template = compileTemplate('{"message": $context.error.messageString, "type": "$context.error.responseType", "raw": "$context.error.message"}');
    assert.equal(renderGatewayTemplate(template, ctx, { message: 'Missing "token"', responseType: 'UNAUTHORIZED' }), '{"message": "Missing \\"token\\"", "type": "UNAUTHORIZED", "raw": "Missing "token""}');
  });
});

describe('Java methods', () => {
  it('offers the String methods templates call', () => {
    assert.equal(render("#set($s = ' Hello World ')$s.trim().length() $s.trim().toUpperCase() $s.toLowerCase().trim() $s.trim().substring(6) $s.trim().substring(0, 5) $s.indexOf('o') $s.lastIndexOf('o')"), '11 HELLO WORLD hello world World Hello 5 8');
    assert.equal(render("#set($s = 'a-b-c')$s.replace('-', '+') $s.replaceAll('(\\w)-', '$1:') $s.replaceFirst('-', '') $s.split('-').size() $s.split('-')[1] $s.charAt(2)"), 'a+b+c a:b:c ab-c 3 b b');
    assert.equal(render("#set($s = 'abc')$s.startsWith('ab') $s.endsWith('bc') $s.contains('x') $s.matches('[a-c]+') $s.matches('b') $s.equals('abc') $s.equalsIgnoreCase('ABC') $s.isEmpty() $s.concat('d')"), 'true true false true false true true false abcd');
    assert.equal(render("#set($csv = 'a,b,,')$csv.split(',')"), '[a, b]');
  });

  it('offers the List and Map methods templates call', () => {
    assert.equal(render("#set($l = ['x', 'y'])$l.size() $l.get(0) $l.contains('y') $l.isEmpty() $l.indexOf('y')"), '2 x true false 1');
    assert.equal(render("#set($m = {'a': 1, 'b': 'two'})$m.size() $m.get('a') $m.b $m.containsKey('b') $m.keySet() #foreach($e in $m.entrySet())$e.key=$e.value;#end"), '2 1 two true [a, b] a=1;b=two;');
    assert.equal(render("#set($m = {})#set($_ = $m.put('k', 'v'))$m $m.isEmpty()"), '{k=v} false');
  });

  it('fails the render when Java would throw', () => {
    assertFails("#set($s = 'abc')$s.substring(5)");
    assertFails("#set($l = [])$l.get(3)");
  });
});

describe('sandbox', () => {
  it('exposes no JavaScript function, global or prototype', () => {
    const probes = [
      '$input.constructor',
      "$input.path.constructor.constructor('return process')",
      '$input.__proto__',
      "#set($s = 'x')$s.constructor.name",
      '$util.base64Encode.call',
      '$toString',
      "$hasOwnProperty('x')",
      '$process$global$globalThis$require',
      "#set($m = {})#set($m.__proto__ = {'polluted': 1})$m.polluted",
      "#set($m = {})$m.put('__proto__', 'x')$m.get('__proto__')",
    ];
    for (const probe of probes) assert.doesNotMatch(render(probe), /function|native code|process|\[object/, probe);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(render('#include("/etc/passwd")#parse("/etc/passwd")#evaluate("$input.body")'), '');
  });

  it('keeps #set inside one render: shared variables are fresh each time', () => {
    const template = compileTemplate("#set($util.base64Encode = 'x')$util.base64Encode('a')");
    const ctx = invocation();
    const variables = () => templateVariables(ctx, ctx.body, contextVariables(ctx));
    assert.equal(template.render(variables()), 'YQ==');
    assert.equal(template.render(variables()), 'YQ==');
  });

  it('bounds #foreach, ranges, output, recursion and time with a 500', () => {
    assert.equal(render(`#foreach($i in [1..${TEMPLATE_LIMITS.foreachIterations}])#end done`), ' done');
    assertFails(`#foreach($i in [0..${TEMPLATE_LIMITS.foreachIterations}])#end`);
    assertFails(`#set($l = [])#foreach($i in [1..1000])#set($_ = $l.add($i))#end#set($_ = $l.add(0))#foreach($i in $l)#end`);
    assertFails("#set($s = 'xxxxxxxxxxxxxxxx')#foreach($i in [1..40])#set($s = \"$s$s\")#end");
    assertFails("#set($s = 'xxxxxxxxxxxxxxxx')#foreach($i in [1..40])#set($s = $s + $s)#end");
    assertFails('#macro(loop)#loop()#end#loop()');
    const started = Date.now();
    assertFails('#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end');
    assert.ok(Date.now() - started < TEMPLATE_LIMITS.renderMs + 500, 'stopped within its time bound');
  });

  it('fails a template that does not parse at render, not at compile', () => {
    const template = compileTemplate('#if($x');
    assert.throws(() => template.render({}), GatewayError);
  });
});
