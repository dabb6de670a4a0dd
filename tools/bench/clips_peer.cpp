// clips_peer: CLIPS 6.30 (Debian's libclips, a C Rete engine) on the rules of rules_peer/rules.json (our trigger
// format, translated here as rules_peer.js translates it for json-rules-engine) over the fact sets written by
// `rules_compare --out-facts`. Each trigger becomes one defrule whose single pattern is a fact of the template
// fact-set (one slot per fact, tags a multislot, status and priority also as ranks for the ordered comparisons,
// a null as the symbol nil); its right-hand side calls sb-match, a C function counting the rule's matches.
// Each fact set is asserted, the agenda run, and the fact retracted, repeating passes until --min-seconds have
// passed. Prints fact sets per second and M, the (fact set, rule) pairs that hold in one pass, to be checked
// against rules_compare's and rules_peer.js's.
//
//   clips_peer --rules rules.json --facts FACTS.json [--min-seconds 1] [--print-constructs]
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

extern "C" {
#include <clips/clips.h>
}

using nlohmann::json;

namespace {

const std::map<std::string, int> kStatusRank = {{"new", 0},     {"open", 1},   {"pending", 2},
                                                {"on-hold", 3}, {"solved", 4}, {"closed", 5}};
const std::map<std::string, int> kPriorityRank = {{"low", 0}, {"normal", 1}, {"high", 2}, {"urgent", 3}};

const std::map<std::string, int>* RanksOf(const std::string& field) {
  if (field == "status") return &kStatusRank;
  if (field == "priority") return &kPriorityRank;
  return nullptr;
}

// The slots of fact-set, in the order of the deftemplate.
const char* const kSlots[] = {"status",  "status_rank", "priority", "priority_rank",      "tags",
                              "channel", "group",       "assignee", "hours_since_created"};
constexpr int kSlotCount = sizeof(kSlots) / sizeof(kSlots[0]);
constexpr int kTagsSlot = 4;
// Untyped slots: the values' types are checked by LoadFactSet, when the facts are loaded.
const char* const kDeftemplate =
    "(deftemplate fact-set (slot status) (slot status_rank) (slot priority) (slot priority_rank) (multislot tags)"
    " (slot channel) (slot group) (slot assignee) (slot hours_since_created))";
const char* const kPlainFields[] = {"status",   "priority",           "tags", "channel", "group",
                                    "assignee", "hours_since_created"};

struct Refused {
  std::string message;
};

bool IsPlain(const std::string& field) {
  for (const char* f : kPlainFields) {
    if (field == f) return true;
  }
  return false;
}

std::string StringLiteral(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// JavaScript numbers are doubles, so every number of a fact or a rule is a CLIPS FLOAT: 24 and 24.0 are the same
// value on both sides, as they are for json-rules-engine.
std::string FloatLiteral(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

// A rule's value compared for (in)equality with a single-field slot: a string, null (nil) or a number.
std::string ScalarLiteral(const json& v, const std::string& path) {
  if (v.is_string()) return StringLiteral(v.get<std::string>());
  if (v.is_null()) return "nil";
  if (v.is_number()) return FloatLiteral(v.get<double>());
  throw Refused{path + ": value " + v.dump() + " has no CLIPS literal"};
}

// One constraint of a slot: a literal term ("open", ~"solved") or a predicate over the slot's variable.
struct Term {
  std::string slot;
  std::string text;
  bool predicate;
};

// One condition of ours -> one constraint on one slot of the pattern. Only one-to-one translations are accepted.
Term Translate(const json& c, const std::string& path) {
  const std::string field = c.value("field", "");
  const std::string op = c.value("operator", "");
  const json value = c.contains("value") ? c["value"] : json();
  if (!IsPlain(field)) throw Refused{path + ": field " + field + " has no plain fact"};
  if (op == "is" || op == "is_not") {
    if (field == "tags") throw Refused{path + ": tags is a list; " + op + " has no CLIPS literal"};
    return {field, (op == "is" ? "" : "~") + ScalarLiteral(value, path), false};
  }
  if (op == "less_than" || op == "greater_than") {
    const char* cmp = op == "less_than" ? "<" : ">";
    if (const auto* ranks = RanksOf(field)) {
      auto it = value.is_string() ? ranks->find(value.get<std::string>()) : ranks->end();
      if (it == ranks->end()) throw Refused{path + ": " + value.dump() + " is not a " + field};
      const std::string slot = field + "_rank";
      return {slot, ":(" + std::string(cmp) + " ?" + slot + " " + std::to_string(it->second) + ")", true};
    }
    if (field != "hours_since_created" || !value.is_number()) throw Refused{path + ": " + field + " is not ordered"};
    return {field, ":(" + std::string(cmp) + " ?" + field + " " + FloatLiteral(value.get<double>()) + ")", true};
  }
  if (op == "includes" || op == "not_includes") {
    if (field != "tags" || !value.is_string()) throw Refused{path + ": " + op + " needs tags and a string"};
    const std::string member = "(member$ " + StringLiteral(value.get<std::string>()) + " $?tags)";
    return {field, op == "includes" ? ":" + member : ":(not " + member + ")", true};
  }
  throw Refused{path + ": operator " + op + " has no CLIPS peer"};
}

// The trigger's `all` as one defrule: one fact-set pattern, the constraints of a slot joined with &.
std::string Defrule(std::size_t index, const std::vector<Term>& terms) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Term*>> by_slot;
  for (const Term& t : terms) {
    if (by_slot[t.slot].empty()) order.push_back(t.slot);
    by_slot[t.slot].push_back(&t);
  }
  std::string pattern = "(fact-set";
  for (const std::string& slot : order) {
    std::string constraint;
    bool predicate = false;
    for (const Term* t : by_slot[slot]) {
      constraint += (constraint.empty() ? "" : "&") + t->text;
      predicate = predicate || t->predicate;
    }
    if (predicate) constraint = (slot == "tags" ? "$?" : "?") + slot + "&" + constraint;
    pattern += " (" + slot + " " + constraint + ")";
  }
  pattern += ")";
  return "(defrule rule-" + std::to_string(index) + " " + pattern + " => (sb-match " + std::to_string(index) + "))";
}

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (!in || j.is_discarded()) {
    std::fprintf(stderr, "%s: not JSON\n", path.c_str());
    std::exit(2);
  }
  return j;
}

// The matches of each rule, counted by sb-match, the right-hand side of every rule.
std::vector<long>* g_per_rule = nullptr;

int SbMatch(void* env) {
  const long long k = EnvRtnLong(env, 1);
  if (k >= 0 && k < static_cast<long long>(g_per_rule->size())) ++(*g_per_rule)[k];
  return 0;
}

// One fact set as the slot values of a fact-set fact, made of CLIPS atoms that are created once, before the timed
// passes, and kept alive by their reference counts. Like the JS side's facts, they are loaded untimed; the timed
// part is what CLIPS does with them. The tags' multifield is made for each assertion (EnvCreateMultifield, then
// EnvPutFactSlot copies it into the fact), as the C API has it: a multifield kept across assertions stays on the
// list of ephemeral multifields that CLIPS walks at every embedded assert and retract.
struct Slots {
  DATA_OBJECT value[kSlotCount];  // the tags slot's value is set at each assertion
  std::vector<void*> tags;
};

class Environment {
 public:
  Environment() : env_(CreateEnvironment()) {}
  ~Environment() { DestroyEnvironment(env_); }
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  void* get() const { return env_; }

 private:
  void* env_;
};

void SetAtom(void* env, DATA_OBJECT* d, const json& v, const std::string& path) {
  if (v.is_string()) {
    d->type = STRING;
    d->value = EnvAddSymbol(env, v.get<std::string>().c_str());
    IncrementSymbolCount(d->value);
  } else if (v.is_null()) {
    d->type = SYMBOL;
    d->value = EnvAddSymbol(env, "nil");
    IncrementSymbolCount(d->value);
  } else if (v.is_number()) {
    d->type = FLOAT;
    d->value = EnvAddDouble(env, v.get<double>());
    IncrementFloatCount(d->value);
  } else {
    throw Refused{path + ": " + v.dump() + " has no CLIPS value"};
  }
}

void SetRank(void* env, DATA_OBJECT* d, const json& v, const std::string& field, const std::string& path) {
  const auto* ranks = RanksOf(field);
  auto it = v.is_string() ? ranks->find(v.get<std::string>()) : ranks->end();
  if (it == ranks->end()) throw Refused{path + ": " + v.dump() + " is not a " + field};
  d->type = INTEGER;
  d->value = EnvAddLong(env, it->second);
  IncrementIntegerCount(d->value);
}

Slots LoadFactSet(void* env, const json& f, const std::string& path) {
  if (!f.is_object()) throw Refused{path + ": not an object"};
  for (const char* field : kPlainFields) {
    if (!f.contains(field)) throw Refused{path + ": no " + field};
  }
  Slots s{};
  for (int i = 0; i < kSlotCount; ++i) {
    const std::string slot = kSlots[i];
    DATA_OBJECT* d = &s.value[i];
    if (slot == "status_rank" || slot == "priority_rank") {
      const std::string field = slot.substr(0, slot.size() - 5);
      SetRank(env, d, f[field], field, path + "." + field);
    } else if (slot == "tags") {
      const json& tags = f["tags"];
      if (!tags.is_array()) throw Refused{path + ".tags: not a list"};
      for (const json& tag : tags) {
        if (!tag.is_string()) throw Refused{path + ".tags: " + tag.dump() + " is not a string"};
        s.tags.push_back(EnvAddSymbol(env, tag.get<std::string>().c_str()));
        IncrementSymbolCount(s.tags.back());
      }
    } else if (slot == "hours_since_created") {
      if (!f[slot].is_number()) throw Refused{path + "." + slot + ": not a number"};
      SetAtom(env, d, f[slot], path + "." + slot);
    } else {
      if (!f[slot].is_string() && !f[slot].is_null()) throw Refused{path + "." + slot + ": not a string or null"};
      SetAtom(env, d, f[slot], path + "." + slot);
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules_path, facts_path;
  double min_seconds = 1.0;
  bool print_constructs = false;
  CLI::App app{"CLIPS on the rules of rules.json over the fact sets of rules_compare --out-facts"};
  app.add_option("--rules", rules_path, "A configuration whose triggers are the rules")->required();
  app.add_option("--facts", facts_path, "The fact sets (rules_compare --out-facts)");
  app.add_option("--min-seconds", min_seconds, "Repeat passes until this much time has passed");
  app.add_flag("--print-constructs", print_constructs, "Print the deftemplate and the defrules, then exit");
  CLI11_PARSE(app, argc, argv);

  const json config = ReadJson(rules_path);
  if (!config.is_object() || !config.contains("triggers") || !config["triggers"].is_array()) {
    std::fprintf(stderr, "%s: no triggers\n", rules_path.c_str());
    return 2;
  }
  const json& triggers = config["triggers"];

  std::vector<std::string> defrules;
  std::size_t conditions = 0;
  std::string path;  // of the trigger or condition being translated, for the messages
  try {
    for (std::size_t i = 0; i < triggers.size(); ++i) {
      path = "triggers[" + std::to_string(i) + "].conditions";
      const json& c = triggers[i].contains("conditions") ? triggers[i]["conditions"] : json();
      if (c.contains("any") && c["any"].is_array() && !c["any"].empty())
        throw Refused{path + ": \"any\" is not translated"};
      if (!c.contains("all") || !c["all"].is_array()) throw Refused{path + ".all: not a list"};
      std::vector<Term> terms;
      const std::string all = path + ".all";
      for (std::size_t k = 0; k < c["all"].size(); ++k) {
        path = all + "[" + std::to_string(k) + "]";
        terms.push_back(Translate(c["all"][k], path));
      }
      conditions += terms.size();
      defrules.push_back(Defrule(i, terms));
    }
  } catch (const Refused& r) {
    std::fprintf(stderr, "%s\n", r.message.c_str());
    return 2;
  } catch (const json::exception& e) {
    std::fprintf(stderr, "%s: not a trigger of ours (%s)\n", path.c_str(), e.what());
    return 2;
  }

  if (!print_constructs && facts_path.empty()) {
    std::fprintf(stderr, "--facts is required\n");
    return 2;
  }
  if (print_constructs) {
    std::printf("%s\n", kDeftemplate);
    for (const std::string& d : defrules) std::printf("%s\n", d.c_str());
    return 0;
  }
  const json fact_sets = ReadJson(facts_path);
  if (!fact_sets.is_array()) {
    std::fprintf(stderr, "%s: not a list of fact sets\n", facts_path.c_str());
    return 2;
  }

  Environment environment;
  void* env = environment.get();
  std::vector<long> per_rule(triggers.size());
  g_per_rule = &per_rule;
  if (!EnvDefineFunction2(env, "sb-match", 'i', SbMatch, "SbMatch", "11i")) {
    std::fprintf(stderr, "cannot define sb-match\n");
    return 2;
  }
  if (!EnvBuild(env, kDeftemplate)) {
    std::fprintf(stderr, "CLIPS refused the deftemplate: %s\n", kDeftemplate);
    return 2;
  }
  for (std::size_t i = 0; i < defrules.size(); ++i) {
    if (!EnvBuild(env, defrules[i].c_str())) {
      std::fprintf(stderr, "triggers[%zu]: CLIPS refused %s\n", i, defrules[i].c_str());
      return 2;
    }
  }
  EnvReset(env);
  void* deftemplate_ptr = EnvFindDeftemplate(env, "fact-set");

  std::vector<Slots> facts;
  try {
    for (std::size_t k = 0; k < fact_sets.size(); ++k) {
      facts.push_back(LoadFactSet(env, fact_sets[k], "facts[" + std::to_string(k) + "]"));
    }
  } catch (const Refused& r) {
    std::fprintf(stderr, "%s\n", r.message.c_str());
    return 2;
  }

  // One fact set: a fact-set fact asserted (the pattern network and the joins place it), the agenda run (each
  // activation is a rule that holds; its right-hand side counts it), and the fact retracted, which takes its
  // partial matches out of the network and leaves it as it was for the next set. This is how a CLIPS program
  // handles a stream of independent fact sets; a (reset) per set would also do it, but it does much more
  // (every construct's reset functions, the deffacts with initial-fact asserted again, the defglobals, the fact
  // indices), none of which a stream of fact sets needs.
  long long fired = 0;
  bool failed = false;
  auto run_one = [&](Slots& s) {
    void* fact = EnvCreateFact(env, deftemplate_ptr);
    const long n = static_cast<long>(s.tags.size());
    void* tags = EnvCreateMultifield(env, n);
    for (long k = 0; k < n; ++k) {
      EnvSetMFType(env, tags, k + 1, STRING);
      EnvSetMFValue(env, tags, k + 1, s.tags[k]);
    }
    DATA_OBJECT& t = s.value[kTagsSlot];
    t.type = MULTIFIELD;
    t.value = tags;
    SetDOBegin(t, 1);
    SetDOEnd(t, n);
    for (int i = 0; i < kSlotCount; ++i) EnvPutFactSlot(env, fact, kSlots[i], &s.value[i]);
    void* asserted = EnvAssert(env, fact);
    if (asserted == nullptr) {
      failed = true;
      return;
    }
    fired += EnvRun(env, -1);
    EnvRetract(env, asserted);
  };

  // An untimed first pass gives M and the matches of each rule (the cross-check with rules_compare); then timed
  // passes until --min-seconds have passed.
  for (Slots& s : facts) run_one(s);
  const long long matches = fired;
  const std::vector<long> first = per_rule;
  long rounds = 0;
  auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  do {
    for (Slots& s : facts) run_one(s);
    ++rounds;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (seconds < min_seconds && !failed);
  if (failed) {
    std::fprintf(stderr, "CLIPS refused a fact set\n");
    return 1;
  }
  long counted = 0;
  bool agree = fired == matches * (rounds + 1);
  for (std::size_t r = 0; r < per_rule.size(); ++r) {
    agree = agree && per_rule[r] == first[r] * (rounds + 1);
    counted += first[r];
  }
  if (!agree || counted != matches) {
    std::fprintf(stderr, "passes disagree\n");
    return 1;
  }
  std::printf(
      "{\"fact_sets\":%zu,\"rounds\":%ld,\"seconds\":%.3f,\"fact_sets_per_s\":%.0f,\"rules\":%zu,"
      "\"conditions_per_rule\":%g,\"matches\":%lld,\"matches_per_rule\":%s,\"engine\":\"CLIPS %s\"}\n",
      facts.size(), rounds, seconds, rounds * static_cast<double>(facts.size()) / seconds, triggers.size(),
      triggers.empty() ? 0.0 : static_cast<double>(conditions) / triggers.size(), matches, json(first).dump().c_str(),
      VERSION_STRING);
  return 0;
}
