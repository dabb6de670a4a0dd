#include "storage/snapshot.h"

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/iostreams/device/array.hpp>
#include <boost/iostreams/device/back_inserter.hpp>
#include <boost/iostreams/stream.hpp>
#include <zlib.h>

#include <cstring>
#include <exception>

#include "storage/snapshot_fields.h"

namespace switchboard {

// Every private field of the state, the read model and the feeds, for Boost.Serialization. What is
// only noted between changes (the read model's dirty sets, the feeds' notices) is not kept: a
// snapshot is taken between changes, when they are empty.
struct SnapshotAccess {
  template <class A>
  static void Fields(A& a, AgentFeeds& f) {
    a& f.feeds_& f.waiting_& f.assignees_& f.online_;
  }

  template <class A>
  static void Fields(A& a, ReadModel& r) {
    a& r.tickets_& r.closed_& r.evicted_upto_& r.views_in_force_& r.queues_known_& r.today_& r.hours_;
    a& r.sla_breached_& r.presence_& r.now_& r.last_seq_;
    Fields(a, r.feeds_);
  }

  // The configuration is kept as its canonical document and the supervisors' changes, and put
  // together again on load exactly as the fold does (DeskState::ApplyConfig, ApplyAgentUpdated).
  template <class A>
  static void Fields(A& a, DeskState& s) {
    a& s.agent_changes_& s.config_version_& s.last_seq_& s.now_& s.ticket_count_& s.conversation_count_;
    a& s.contacts_& s.conversations_& s.tickets_& s.agents_& s.routing_;
    a& s.inactivity_timers_& s.automation_timers_& s.offer_timers_& s.sla_timers_& s.proactive_timers_;
    a& s.evicted_upto_& s.closed_tickets_& s.finished_conversations_& s.idle_contacts_& s.not_in_log_& s.bot_from_;
  }

  static void Save(boost::archive::binary_oarchive& a, const DeskState& state, const ReadModel& read) {
    const std::string& document = state.document_config_->document;
    a << document;
    Fields(a, const_cast<DeskState&>(state));
    Fields(a, const_cast<ReadModel&>(read));
  }

  static Status Load(boost::archive::binary_iarchive& a, DeskState* state, ReadModel* read) {
    std::string document;
    a >> document;
    Fields(a, *state);
    Fields(a, *read);
    auto config = std::make_shared<Configuration>();
    if (Status parsed = ParseConfiguration(document, config.get()); !parsed.ok()) {
      return Status::Corruption("the snapshot's configuration is refused by this build: " + parsed.message());
    }
    state->document_config_ = std::move(config);
    state->config_ = WithAgentChanges(state->document_config_, state->agent_changes_);
    for (auto& [id, contact] : state->contacts_) {
      for (const auto& [field, json] : contact.profile) contact.values[field] = ValueFromJson(json);
    }
    return Status::OK();
  }
};

namespace {

constexpr char kMagic[8] = {'S', 'B', 'S', 'N', 'A', 'P', '\r', '\n'};
constexpr std::size_t kHeaderBytes = sizeof(kMagic) + 4 + 8 + 4 + 8 + 4;

void PutFixed(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::uint64_t GetFixed(const char* p, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= std::uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
  return value;
}

// zlib's CRC-32: several times faster than a byte-at-a-time table over a snapshot of 100 MB.
std::uint32_t Crc32(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      crc32_z(crc32_z(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

}  // namespace

std::string EncodeSnapshot(const DeskState& state, const ReadModel& read, std::string_view event) {
  std::string body;
  {
    boost::iostreams::stream<boost::iostreams::back_insert_device<std::string>> out(body);
    boost::archive::binary_oarchive archive(out, boost::archive::no_header);
    SnapshotAccess::Save(archive, state, read);
  }  // the archive and the stream flush into `body` as they close
  std::string out;
  out.reserve(kHeaderBytes + event.size() + body.size());
  out.append(kMagic, sizeof(kMagic));
  PutFixed(out, kSnapshotFormat, 4);
  PutFixed(out, state.last_seq(), 8);
  PutFixed(out, event.size(), 4);
  PutFixed(out, body.size(), 8);
  PutFixed(out, Crc32(body), 4);
  out.append(event);
  out.append(body);
  return out;
}

Status ReadSnapshotHeader(std::string_view bytes, SnapshotHeader* header) {
  if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return Status::Corruption("not a snapshot (no snapshot header)");
  }
  const char* p = bytes.data() + sizeof(kMagic);
  header->format = static_cast<std::uint32_t>(GetFixed(p, 4));
  header->seq = GetFixed(p + 4, 8);
  const std::uint64_t event_bytes = GetFixed(p + 12, 4);
  const std::uint64_t body_bytes = GetFixed(p + 16, 8);
  header->body_check = static_cast<std::uint32_t>(GetFixed(p + 24, 4));
  if (header->format != kSnapshotFormat) {
    return Status::Corruption("snapshot of format " + std::to_string(header->format) + "; this build reads format " +
                              std::to_string(kSnapshotFormat));
  }
  if (bytes.size() - kHeaderBytes != event_bytes + body_bytes) {
    return Status::Corruption("snapshot at event " + std::to_string(header->seq) + " is " +
                              std::to_string(bytes.size()) + " bytes long, its header says " +
                              std::to_string(kHeaderBytes + event_bytes + body_bytes));
  }
  header->event = bytes.substr(kHeaderBytes, event_bytes);
  header->body = bytes.substr(kHeaderBytes + event_bytes);
  return Status::OK();
}

Status DecodeSnapshot(const SnapshotHeader& header, DeskState* state, ReadModel* read) {
  const std::string at = "snapshot at event " + std::to_string(header.seq);
  if (Crc32(header.body) != header.body_check) return Status::Corruption(at + " does not match its checksum");
  try {
    boost::iostreams::stream<boost::iostreams::array_source> in(header.body.data(), header.body.size());
    boost::archive::binary_iarchive archive(in, boost::archive::no_header);
    Status s = SnapshotAccess::Load(archive, state, read);
    if (!s.ok()) return Status::Corruption(at + ": " + s.message());
  } catch (const std::exception& e) {
    return Status::Corruption(at + " cannot be read: " + e.what());
  }
  if (state->last_seq() != header.seq || read->last_seq() != header.seq) {
    return Status::Corruption(at + " holds a state of event " + std::to_string(state->last_seq()));
  }
  return Status::OK();
}

}  // namespace switchboard
