#include "tools/bench/bench_table.h"

#include <algorithm>
#include <cstdio>

namespace switchboard::tool {

using nlohmann::json;

Spread Of(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return {n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.front(), v.back()};
}

json ToJson(const Spread& s) { return {{"median", s.median}, {"min", s.min}, {"max", s.max}}; }

std::string Fixed(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string Shown(const Spread& s, int digits) {
  return Fixed(s.median, digits) + " (" + Fixed(s.min, digits) + "-" + Fixed(s.max, digits) + ")";
}

void Header() {
  Row("measure", "value: median (min-max)", "target", "met");
  std::printf("|%s|%s|%s|%s|\n", std::string(88, '-').c_str(), std::string(28, '-').c_str(),
              std::string(30, '-').c_str(), std::string(8, '-').c_str());
}

void Row(const std::string& what, const std::string& value, const std::string& target, const std::string& mark) {
  std::printf("| %-86s | %-26s | %-28s | %-6s |\n", what.c_str(), value.c_str(), target.c_str(), mark.c_str());
  std::fflush(stdout);
}

void Goal(json& report, const std::string& name, const std::string& label, const std::string& shown, double value,
          const std::string& target, bool met, const json& extra) {
  Row(label, shown, target, met ? "met" : "missed");
  json goal = {{"name", name}, {"value", value}, {"target", target}, {"met", met}};
  goal.update(extra);
  report["goals"].push_back(goal);
}

void GoalSkipped(json& report, const std::string& name, const std::string& label, const std::string& why,
                 const std::string& target) {
  Row(label, "skipped: " + why, target, "-");
  report["goals"].push_back(
      {{"name", name}, {"value", nullptr}, {"target", target}, {"met", nullptr}, {"skipped", why}});
}

}  // namespace switchboard::tool
