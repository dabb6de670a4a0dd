// StoreRecords: the projection records the store keeps, as the queries read them (a RecordSource of
// projections/queries.h). Thread-safety: as EventStore reads.
#pragma once

#include "projections/queries.h"
#include "storage/event_store.h"

namespace switchboard {

class StoreRecords : public RecordSource {
 public:
  explicit StoreRecords(EventStore* store) : store_(store) {}
  Status Get(const std::string& key, std::string* json) const override { return store_->GetRecord(key, json); }
  Status Scan(const std::string& prefix, const std::function<bool(const Record&)>& fn) const override {
    return store_->ScanRecords(prefix, fn);
  }

 private:
  EventStore* store_;
};

}  // namespace switchboard
