// The answers of `switchboard query` (PROTOCOL.md, Queries), read from projection records.
//
// The records come from a RecordSource: the store (storage/store_records.h: the records the engine
// keeps up to date with the log) or, for `--as-of T`, the records of a state folded up to T in memory. One code path
// for both, so a past answer has exactly the shape of a present one.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "projections/records.h"
#include "switchboard/status.h"

namespace switchboard {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  virtual Status Get(const std::string& key, std::string* json) const = 0;
  // Records whose key starts with `prefix`, in key order, until `fn` returns false.
  virtual Status Scan(const std::string& prefix, const std::function<bool(const Record&)>& fn) const = 0;
};

class MemoryRecords : public RecordSource {
 public:
  explicit MemoryRecords(const std::vector<Record>& records);
  Status Get(const std::string& key, std::string* json) const override;
  Status Scan(const std::string& prefix, const std::function<bool(const Record&)>& fn) const override;

 private:
  std::map<std::string, std::string> records_;
};

// `ticket N`, `view NAME`, `agent ID`, `contact ID`, `monitor`.
Status AnswerQuery(const RecordSource& records, const std::vector<std::string>& what, std::string* json);

// `analytics`: `from` / `to` RFC 3339 or empty; `by` empty, agent, group or channel.
Status AnswerAnalytics(const RecordSource& records, const std::string& from, const std::string& to,
                       const std::string& by, bool csv, std::string* out);

struct StaffingRequest;

// `staffing` (B73): the parameters as ParseStaffingParameters (projections/staffing.h) takes them;
// reads the ticket records, the presence records and the monitor's clock.
Status AnswerStaffing(const RecordSource& records, const StaffingRequest& request, bool csv, std::string* out);

}  // namespace switchboard
