// Events as tests read them: a list of parsed events whose element access is checked, so a test that
// expects an event which is not there fails that test case (BOOST_REQUIRE) instead of reading past
// the end and crashing the whole test binary, hiding every later test.
#pragma once

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace switchboard::testing {

class Events : public std::vector<nlohmann::json> {
 public:
  using std::vector<nlohmann::json>::vector;
  Events() = default;
  Events(std::vector<nlohmann::json> events) : std::vector<nlohmann::json>(std::move(events)) {}  // NOLINT

  const nlohmann::json& operator[](std::size_t i) const {
    BOOST_REQUIRE_MESSAGE(i < size(), "expected at least " << i + 1 << " events, got " << size());
    return std::vector<nlohmann::json>::operator[](i);
  }
  nlohmann::json& operator[](std::size_t i) {
    BOOST_REQUIRE_MESSAGE(i < size(), "expected at least " << i + 1 << " events, got " << size());
    return std::vector<nlohmann::json>::operator[](i);
  }
  const nlohmann::json& back() const {
    BOOST_REQUIRE_MESSAGE(!empty(), "expected an event, got none");
    return std::vector<nlohmann::json>::back();
  }
};

inline std::vector<std::string> Types(const std::vector<nlohmann::json>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e["type"].get<std::string>());
  return out;
}

// The first event of `type`, or nullptr.
inline const nlohmann::json* FindType(const std::vector<nlohmann::json>& events, const std::string& type) {
  for (const auto& e : events) {
    if (e["type"] == type) return &e;
  }
  return nullptr;
}

// The first event of `type`; the test case stops (fails) when there is none.
inline const nlohmann::json& Require(const std::vector<nlohmann::json>& events, const std::string& type) {
  const nlohmann::json* e = FindType(events, type);
  BOOST_REQUIRE_MESSAGE(e != nullptr, "no " << type << " event among " << events.size());
  return *e;
}

}  // namespace switchboard::testing
