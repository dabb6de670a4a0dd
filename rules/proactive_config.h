// Proactive rules (B70, seed 001: "aider les visiteurs qui restent sur une page particulière du site
// Web pendant un certain temps"): configuration `proactive`, ordered; each has conditions over what
// the site says of the visitor (page_url, page_title, time_on_page_s, returning, language,
// contact.NAME, open.GROUP, agents_online.GROUP, weekday, time_of_day) and one action,
// `message_contact`, whose text may hold the contact's placeholders. `once_per_visitor` (default
// false): the rule messages a contact once ever; otherwise once per page view.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "rules/condition.h"
#include "switchboard/status.h"

namespace switchboard {

struct ProactiveRule {
  std::string id;
  bool once_per_visitor = false;
  Conditions conditions;
  std::string message;  // the text of message_contact
};

// Compiles `proactive` of `doc` (absent: none); `groups` are the configuration's group ids (for
// open.GROUP and agents_online.GROUP). A refusal names the path at fault.
Status ParseProactiveRules(const nlohmann::json& doc, const std::vector<std::string>& groups,
                           std::vector<ProactiveRule>* out);

}  // namespace switchboard
