// rules_peer: npm's json-rules-engine on the rules of rules.json (our trigger format, translated here) over the
// fact sets written by `rules_compare --out-facts`, one `await engine.run(facts)` per fact set (the library's
// normal use), repeating passes until --min-seconds have passed. Prints fact sets per second and M, the
// (fact set, rule) pairs that hold in one pass, to be checked against rules_compare's.
//
//   node rules_peer.js --rules rules.json --facts FACTS.json [--min-seconds 1]
'use strict';
const fs = require('fs');
const { Engine } = require('json-rules-engine');

const STATUS_RANK = { new: 0, open: 1, pending: 2, 'on-hold': 3, solved: 4, closed: 5 };
const PRIORITY_RANK = { low: 0, normal: 1, high: 2, urgent: 3 };
const RANKS = { status: STATUS_RANK, priority: PRIORITY_RANK };
const PLAIN = new Set(['status', 'priority', 'tags', 'channel', 'group', 'assignee', 'hours_since_created']);

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`missing ${name}`);
  return fallback;
}

// One condition of ours -> one json-rules-engine condition. Only one-to-one translations are accepted.
function translate(c, path) {
  if (!PLAIN.has(c.field)) throw new Error(`${path}: field ${c.field} has no plain fact`);
  switch (c.operator) {
    case 'is':
      return { fact: c.field, operator: 'equal', value: c.value };
    case 'is_not':
      return { fact: c.field, operator: 'notEqual', value: c.value };
    case 'less_than':
    case 'greater_than': {
      const op = c.operator === 'less_than' ? 'lessThan' : 'greaterThan';
      if (RANKS[c.field]) {
        const rank = RANKS[c.field][c.value];
        if (rank === undefined) throw new Error(`${path}: ${c.value} is not a ${c.field}`);
        return { fact: `${c.field}_rank`, operator: op, value: rank };
      }
      if (typeof c.value !== 'number') throw new Error(`${path}: ${c.field} is not ordered`);
      return { fact: c.field, operator: op, value: c.value };
    }
    case 'includes':
      return { fact: c.field, operator: 'contains', value: c.value };
    case 'not_includes':
      return { fact: c.field, operator: 'doesNotContain', value: c.value };
    default:
      throw new Error(`${path}: operator ${c.operator} has no json-rules-engine peer`);
  }
}

async function main() {
  const config = JSON.parse(fs.readFileSync(arg('--rules'), 'utf8'));
  const factSets = JSON.parse(fs.readFileSync(arg('--facts'), 'utf8'));
  const minSeconds = Number(arg('--min-seconds', '1'));

  const engine = new Engine([], { allowUndefinedFacts: false });
  let conditions = 0;
  config.triggers.forEach((t, i) => {
    if (t.conditions.any && t.conditions.any.length) throw new Error(`triggers[${i}]: "any" is not translated`);
    const all = t.conditions.all.map((c, k) => translate(c, `triggers[${i}].conditions.all[${k}]`));
    conditions += all.length;
    engine.addRule({ name: t.id, conditions: { all }, event: { type: t.id } });
  });
  // The ranks are facts of the fact set, computed once when it is loaded (not timed), like the strings.
  for (const f of factSets) {
    f.status_rank = STATUS_RANK[f.status];
    f.priority_rank = PRIORITY_RANK[f.priority];
  }

  // An untimed first pass (it also warms the JIT up) gives M and the matches of each rule, the cross-check with
  // rules_compare; then timed passes until --min-seconds have passed.
  const ruleIndex = new Map(config.triggers.map((t, i) => [t.id, i]));
  const perRule = new Array(config.triggers.length).fill(0);
  let matches = 0;
  for (const facts of factSets) {
    const { events } = await engine.run(facts);
    for (const e of events) ++perRule[ruleIndex.get(e.type)];
    matches += events.length;
  }
  let holding = 0;
  let rounds = 0;
  const start = process.hrtime.bigint();
  let seconds = 0;
  do {
    for (const facts of factSets) {
      const { events } = await engine.run(facts);
      holding += events.length;
    }
    ++rounds;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  } while (seconds < minSeconds);
  if (holding !== matches * rounds) throw new Error('passes disagree');
  console.log(
    JSON.stringify({
      fact_sets: factSets.length,
      rounds,
      seconds: Number(seconds.toFixed(3)),
      fact_sets_per_s: Math.round((rounds * factSets.length) / seconds),
      rules: config.triggers.length,
      conditions_per_rule: conditions / config.triggers.length,
      matches,
      matches_per_rule: perRule,
      engine: `json-rules-engine ${require('json-rules-engine/package.json').version}`,
    }),
  );
}

main().catch((e) => {
  console.error(e.message);
  process.exit(2);
});
