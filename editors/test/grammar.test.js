// Tokenizes every example, stdlib and golden .rlx file with VS Code's TextMate engine (vscode-textmate on
// vscode-oniguruma, what the editor itself runs) and checks editors/rlx.tmLanguage.json: marked spans get the
// scopes they should, and rules that hold for every file (doc comments, comments, imports, declarations).
// Run: cd editors && npm ci && npm test
'use strict';
const { test, before } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const ROOT = path.resolve(__dirname, '..', '..');
let grammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => scopeName === 'source.rlx'
      ? vsctm.parseRawGrammar(fs.readFileSync(path.join(ROOT, 'editors', 'rlx.tmLanguage.json'), 'utf8'),
        'rlx.tmLanguage.json')
      : null,
  });
  grammar = await registry.loadGrammar('source.rlx');
});

/** Every line of a file as [{text, tokens: [{startIndex, endIndex, scopes}]}]. */
function tokenize(file) {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  let state = vsctm.INITIAL;
  return lines.map((text) => {
    const r = grammar.tokenizeLine(text, state);
    state = r.ruleStack;
    return { text, tokens: r.tokens };
  });
}

function scopesAt(line, col) {
  const t = line.tokens.find((x) => x.startIndex <= col && col < x.endIndex);
  return t ? t.scopes : [];
}

function rlxFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.rlx')) out.push(p);
    }
  };
  ['examples', 'stdlib', 'interpreter/src/test/resources/golden'].forEach(walk);
  return out.sort();
}

// [file, a text that finds the line (its first line containing it), the span within that line, the scope it has]
const MARKS = [
  ['examples/arith_grpo.rlx', 'import "std/tasks" as tasks', 'import', 'keyword.control.import.rlx'],
  ['examples/arith_grpo.rlx', 'import "std/tasks" as tasks', '"std/tasks"', 'string.quoted.double.rlx'],
  ['examples/arith_grpo.rlx', 'as tasks', 'as', 'keyword.control.import.rlx'],
  ['examples/arith_grpo.rlx', 'sft_lr = 1e-3', 'sft_lr', 'entity.name.variable.rlx'],
  ['examples/arith_grpo.rlx', 'sft_lr = 1e-3', '1e-3', 'constant.numeric.float.rlx'],
  ['examples/arith_grpo.rlx', 'lr = 2e-4', '=', 'keyword.operator.assignment.rlx'],
  ['examples/arith_grpo.rlx', 'steps = 5000', '5000', 'constant.numeric.integer.rlx'],
  ['examples/arith_grpo.rlx', 'schedule = "cosine"', '// of the RL lr, after warmup', 'comment.line.double-slash.rlx'],
  ['examples/arith_grpo.rlx', '/// 1 when the completion', '/// 1 when the completion is exactly the sum.',
    'comment.line.documentation.rlx'],
  ['examples/arith_grpo.rlx', 'reward correct(s)', 'reward', 'storage.type.reward.rlx'],
  ['examples/arith_grpo.rlx', 'reward correct(s)', 'correct', 'entity.name.function.reward.rlx'],
  ['examples/arith_grpo.rlx', 'reward correct(s)', 'if', 'keyword.control.conditional.rlx'],
  ['examples/arith_grpo.rlx', 'reward correct(s)', 'then', 'keyword.control.conditional.rlx'],
  ['examples/arith_grpo.rlx', 'reward correct(s)', '==', 'keyword.operator.comparison.rlx'],
  ['examples/arith_grpo.rlx', 'reward correct(s)', 'to_int', 'entity.name.function.call.rlx'],
  ['examples/arith_grpo.rlx', 's.completion', 'completion', 'variable.other.member.rlx'],
  ['examples/arith_grpo.rlx', 'reward tidy(s)', 'r"^-?[0-9]+$"', 'string.quoted.double.raw.rlx'],
  ['examples/arith_grpo.rlx', 'else -0.5', '-', 'keyword.operator.arithmetic.rlx'],
  ['examples/arith_grpo.rlx', 'reward tidy(s)', '0.5', 'constant.numeric.float.rlx'],
  ['examples/arith_grpo.rlx', 'experiment add2', 'experiment', 'storage.type.experiment.rlx'],
  ['examples/arith_grpo.rlx', 'experiment add2', 'add2', 'entity.name.type.experiment.rlx'],
  ['examples/arith_grpo.rlx', 'rewards: correct + 0.2 * tidy', 'rewards', 'variable.other.property.rlx'],
  ['examples/arith_grpo.rlx', 'rewards: correct + 0.2 * tidy', '*', 'keyword.operator.arithmetic.rlx'],
  ['examples/arith_grpo.rlx', 'rewards: correct + 0.2 * tidy', '+', 'keyword.operator.arithmetic.rlx'],
  ['examples/arith_custom_credit.rlx', 'credit: (b) => rank.rank_advantage', '=>', 'storage.type.function.arrow.rlx'],
  ['examples/arith_custom_credit.rlx', 'add2_rank = train {', 'train', 'entity.name.tag.record.rlx'],
  ['stdlib/std/loss.rlx', 'else fail("loss.aggregate', '\\"', 'constant.character.escape.rlx'],
  ['stdlib/std/loss.rlx', 'aggregate(values, mask, mode = "token-mean") =', 'aggregate', 'entity.name.function.rlx'],
  ['stdlib/std/loss.rlx', 'kept(per_token, keep) =', 'kept', 'entity.name.function.rlx'],
  ['stdlib/std/loss.rlx', '  let A = token_advantages', 'let', 'keyword.other.let.rlx'],
  ['stdlib/std/loss.rlx', 'if type(keep) == "none"', 'none', 'string.quoted.double.rlx'],
  ['stdlib/std/loss.rlx', 'dual_clip = none,', 'none', 'constant.language.none.rlx'],
  ['interpreter/src/test/resources/golden/Strings.rlx', '"tab\\tend"', '\\t', 'constant.character.escape.rlx'],
  ['interpreter/src/test/resources/golden/Strings.rlx', '"tab\\tend"', '\\u{1F600}', 'constant.character.escape.rlx'],
];

test('marked spans have their scopes', () => {
  const cache = new Map();
  for (const [file, find, span, scope] of MARKS) {
    if (!cache.has(file)) cache.set(file, tokenize(file));
    const line = cache.get(file).find((l) => l.text.includes(find));
    assert.ok(line, `${file}: no line contains ${JSON.stringify(find)}`);
    // the span's first occurrence from where the finding text starts, else anywhere on the line
    const from = line.text.indexOf(span, line.text.indexOf(find));
    const at = from >= 0 ? from : line.text.indexOf(span);
    assert.ok(at >= 0, `${file}: ${JSON.stringify(span)} not in ${JSON.stringify(line.text)}`);
    for (let c = at; c < at + span.length; c++) {
      const scopes = scopesAt(line, c);
      assert.ok(scopes.includes(scope),
        `${file}: ${JSON.stringify(span)} at column ${c + 1} of ${JSON.stringify(line.text)} has ${scopes.join(' ')}, not ${scope}`);
    }
  }
});

test('every example, stdlib and golden file tokenizes, with comments, imports and declarations where they are', () => {
  const files = rlxFiles();
  assert.ok(files.length > 70, `found ${files.length} files`);
  for (const file of files) {
    const lines = tokenize(file);
    const broken = path.basename(file).startsWith('Err');
    lines.forEach((line, i) => {
      const where = `${file}:${i + 1}: ${line.text}`;
      const first = scopesAt(line, 0);
      if (line.text.startsWith('///')) assert.ok(first.includes('comment.line.documentation.rlx'), where);
      else if (line.text.startsWith('//')) assert.ok(first.includes('comment.line.double-slash.rlx'), where);
      if (/^import\s/.test(line.text)) assert.ok(first.includes('keyword.control.import.rlx'), where);
      const decl = /^(reward|experiment)\s+([A-Za-z_]\w*)/.exec(line.text);
      if (decl) {
        assert.ok(scopesAt(line, decl[1].length + 1).some((s) => s.startsWith('entity.name.')), where);
      }
      if (!broken) {
        for (const t of line.tokens) {
          assert.ok(!t.scopes.some((s) => s.startsWith('invalid.')),
            `${where}: ${JSON.stringify(line.text.slice(t.startIndex, t.endIndex))} is ${t.scopes.join(' ')}`);
        }
      }
    });
  }
});

test('strings end at their line; raw strings have no escapes', () => {
  let state = vsctm.INITIAL;
  const lines = ['a = "open', 'b = r"\\d+\\n"', 'c = 1'];
  const toks = lines.map((text) => {
    const r = grammar.tokenizeLine(text, state);
    state = r.ruleStack;
    return { text, tokens: r.tokens };
  });
  assert.ok(!scopesAt(toks[1], 0).includes('string.quoted.double.rlx'), 'an unterminated string stops at its line');
  assert.ok(!scopesAt(toks[1], 8).includes('constant.character.escape.rlx'), 'no escapes in a raw string');
  assert.ok(scopesAt(toks[2], 4).includes('constant.numeric.integer.rlx'));
});

test('the VS Code extension ships this grammar and points at its files', () => {
  const ext = path.join(ROOT, 'editors', 'vscode');
  const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
  const g = manifest.contributes.grammars[0];
  assert.strictEqual(g.scopeName, 'source.rlx');
  assert.strictEqual(fs.readFileSync(path.join(ext, g.path), 'utf8'),
    fs.readFileSync(path.join(ROOT, 'editors', 'rlx.tmLanguage.json'), 'utf8'),
    'editors/vscode/syntaxes/rlx.tmLanguage.json must be a copy of editors/rlx.tmLanguage.json');
  JSON.parse(fs.readFileSync(path.join(ext, manifest.contributes.languages[0].configuration), 'utf8'));
  assert.ok(fs.existsSync(path.join(ext, manifest.main)));
  assert.deepStrictEqual(manifest.contributes.languages[0].extensions, ['.rlx']);
});
