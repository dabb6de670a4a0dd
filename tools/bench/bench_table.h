// The table `switchboard bench` prints (Markdown: measure, value, target, met) and the `goals` of
// its JSON report: each goal of issue 16 is a row with its target and whether this run met it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace switchboard::tool {

// The median of per-round figures (the mean of the middle two for an even count), with their spread.
struct Spread {
  double median = 0, min = 0, max = 0;
};
Spread Of(std::vector<double> values);
nlohmann::json ToJson(const Spread& s);

std::string Fixed(double v, int digits = 0);
std::string Shown(const Spread& s, int digits = 0);  // "median (min-max)"

void Header();
void Row(const std::string& what, const std::string& value, const std::string& target = "",
         const std::string& mark = "");
// A goal: a row marked met or missed, and {name, value, target, met} (with `extra`) in report["goals"].
void Goal(nlohmann::json& report, const std::string& name, const std::string& label, const std::string& shown,
          double value, const std::string& target, bool met, const nlohmann::json& extra = nlohmann::json::object());
// A goal this run could not measure: its row says why; value and met are null.
void GoalSkipped(nlohmann::json& report, const std::string& name, const std::string& label, const std::string& why,
                 const std::string& target);

}  // namespace switchboard::tool
