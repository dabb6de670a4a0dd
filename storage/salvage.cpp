// Salvaging a damaged log (switchboard repair): the longest gap-free prefix is kept, what follows a
// gap goes to a salvage file, the log is cut there, and the command ids recorded past the cut are
// forgotten (a retry applies them again). Engine::Repair then opens the result and verifies it.
#include "storage/salvage.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <unistd.h>

#include "events/codec.h"
#include "events/event_json.h"
#include "projections/catalog.h"
#include "storage/event_store.h"
#include "storage/rebuild.h"

namespace switchboard {
namespace {

void AddToRanges(std::vector<SeqRange>& ranges, std::uint64_t first, std::uint64_t last) {
  if (!ranges.empty() && ranges.back().last + 1 == first) {
    ranges.back().last = last;
  } else {
    ranges.push_back({first, last});
  }
}

// DIR/salvage-20261123T090000Z.jsonl (a second repair in the same second gets -2, -3 ...).
std::string SalvagePath(const std::string& dir) {
  std::time_t now = std::time(nullptr);
  std::tm t{};
  ::gmtime_r(&now, &t);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &t);
  std::string base = dir + "/salvage-" + stamp;
  std::string path = base + ".jsonl";
  for (int n = 2; ::access(path.c_str(), F_OK) == 0; ++n) path = base + "-" + std::to_string(n) + ".jsonl";
  return path;
}

// The salvage file, written as the scan finds events after a gap, and fsynced before the log is cut:
// the cut deletes the only other copy.
class SalvageFile {
 public:
  ~SalvageFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  Status Append(const std::string& dir, const std::string& line, std::string* path) {
    if (file_ == nullptr) {
      *path = SalvagePath(dir);
      file_ = std::fopen(path->c_str(), "wx");
      if (file_ == nullptr) return Status::IOError("cannot create " + *path + ": " + std::strerror(errno));
    }
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fputc('\n', file_) == EOF) {
      return Status::IOError("cannot write " + *path + ": " + std::strerror(errno));
    }
    return Status::OK();
  }
  Status Close(const std::string& path) {
    if (file_ == nullptr) return Status::OK();
    bool ok = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
    int err = errno;
    ok = std::fclose(file_) == 0 && ok;
    file_ = nullptr;
    return ok ? Status::OK() : Status::IOError("cannot write " + path + ": " + std::strerror(err));
  }

 private:
  std::FILE* file_ = nullptr;
};

}  // namespace

Status SalvageLog(const std::string& dir, RepairReport* report) {
  StoreOptions options;
  options.recovery = StoreRecovery::kSalvage;
  std::unique_ptr<EventStore> store;
  Status s = EventStore::Open(dir, options, &store);
  if (!s.ok()) return s;
  const AckedMarkValue& mark = store->MarkAtOpen();
  report->mark_found = mark.present;
  report->acknowledged = mark.seq;
  report->mark_ignored = mark.unreadable;
  report->recovery_note = store->RecoveryNote();

  // An event that is there but does not verify counts as missing: it is as gone as an absent one.
  std::uint64_t expected = 1, last_present = 0;
  bool gap = false;
  SalvageFile salvage;
  Status written;
  s = store->ScanLog(1, [&](std::uint64_t seq, std::string_view bytes) {
    if (seq > expected) {
      AddToRanges(report->missing, expected, seq - 1);
      gap = true;
    }
    expected = seq + 1;
    if (VerifyEvent(bytes) == nullptr) {
      AddToRanges(report->missing, seq, seq);
      gap = true;
      return true;
    }
    last_present = seq;
    if (!gap) {
      report->kept = seq;
    } else {
      AddToRanges(report->salvaged, seq, seq);
      ++report->salvaged_events;
      written = salvage.Append(dir, EventBufferToJson(bytes), &report->salvage_file);
    }
    return written.ok();
  });
  if (!s.ok()) return s;
  if (!written.ok()) return written;
  s = salvage.Close(report->salvage_file);
  if (!s.ok()) return s;
  if (report->acknowledged > last_present && report->acknowledged >= expected) {
    AddToRanges(report->missing, expected, report->acknowledged);
  }
  s = store->CutLog(report->kept, &report->forgotten_commands);
  if (!s.ok()) return s;
  unsigned stale = StaleProjections(*store, report->kept);
  for (int p = 0; p < kProjectionCount; ++p) {
    if ((stale & (1u << p)) != 0) report->rebuilt.push_back(Projections()[p].name);
  }
  return Status::OK();
}

}  // namespace switchboard
