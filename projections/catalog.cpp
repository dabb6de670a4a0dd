#include "projections/catalog.h"

#include <algorithm>
#include <cstring>

#include "projections/records.h"

namespace switchboard {

const std::array<ProjectionInfo, kProjectionCount>& Projections() {
  static const std::array<ProjectionInfo, kProjectionCount> kCatalog{{
      {"tickets", 4, "t"},  // 2: the SLA fields; 3: handle time and abandonment (B72); 4: proactive_rule (B70)
      {"agents", 1, "aA"},
      {"contacts", 1, "c"},
      {"views", 2, "Vv"},      // 2: closed tickets are in no view
      {"monitor", 2, "mqsS"},  // 2: the SLA figures per group
      {"analytics", 2, "h"},   // 2: the proactive counts (B70)
      {"feeds", 1, "n"},
      {"staffing", 1, "P"},  // B73
  }};
  return kCatalog;
}

std::optional<ProjectionId> ProjectionOfKey(std::string_view key) {
  if (key.empty()) return std::nullopt;
  // A table indexed by the key's first byte: this runs for every record written.
  static const std::array<int, 256> kOwner = [] {
    std::array<int, 256> owner;
    owner.fill(-1);
    for (int p = 0; p < kProjectionCount; ++p) {
      for (const char* head = Projections()[p].key_heads; *head != '\0'; ++head) {
        owner[static_cast<unsigned char>(*head)] = p;
      }
    }
    return owner;
  }();
  int p = kOwner[static_cast<unsigned char>(key[0])];
  if (p < 0) return std::nullopt;
  return static_cast<ProjectionId>(p);
}

std::optional<ProjectionId> ProjectionNamed(std::string_view name) {
  for (int p = 0; p < kProjectionCount; ++p) {
    if (name == Projections()[p].name) return static_cast<ProjectionId>(p);
  }
  return std::nullopt;
}

void KeepProjections(std::vector<Record>* records, unsigned projections) {
  records->erase(std::remove_if(records->begin(), records->end(),
                                [projections](const Record& r) {
                                  auto p = ProjectionOfKey(r.key);
                                  return !p || (projections & (1u << *p)) == 0;
                                }),
                 records->end());
}

}  // namespace switchboard
