// pg_peer: the same durable ingest into PostgreSQL, the usual home of a hand-rolled event store. Takes the
// events of an existing log (written by `switchboard run`), starts a throwaway PostgreSQL server (initdb into a
// fresh temporary directory, 127.0.0.1 on a free port from 54320 up, fsync=on and synchronous_commit=on: every
// commit waits for its WAL to reach the disk, as our synced WAL does) and appends them in order to
//   events(position bigserial PRIMARY KEY, stream_id, stream_version, type, payload, UNIQUE(stream_id, stream_version))
// --batch events per transaction, stream_version 1, 2, 3 ... per stream (the event's conversation, else its
// ticket, else its agent, else "desk"), the payload being the FlatBuffers bytes. Times the first insert to the
// last commit and prints one JSON line. The server is stopped and its directory removed on every path.
// As root, the server runs as the `postgres` system user (PostgreSQL refuses root) through runuser.
//
//   pg_peer --from DB [--batch 256] [--limit N] [--method copy|insert]
#include <CLI/CLI.hpp>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events/codec.h"
#include "storage/event_store.h"

namespace fs = std::filesystem;

namespace {

struct Row {
  std::string stream;
  std::int64_t version = 0;
  std::string type;
  std::string payload;
};

// The bin directory of the highest installed PostgreSQL version (Debian layout), or nullopt.
std::optional<fs::path> FindPostgresBin() {
  std::optional<fs::path> best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = entry.path() / "bin";
    if (!fs::exists(bin / "initdb") || !fs::exists(bin / "pg_ctl") || !fs::exists(bin / "postgres")) continue;
    int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version) best_version = version, best = bin;
  }
  return best;
}

// Runs argv (prefixed with `runuser -u postgres --` when `as_postgres`), its output appended to `log`.
// Returns the exit status (or -1 when it could not run).
int Run(std::vector<std::string> argv, bool as_postgres, const fs::path& log) {
  if (as_postgres) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    FILE* f = std::fopen(log.c_str(), "a");
    if (f != nullptr) {
      dup2(fileno(f), 1);
      dup2(fileno(f), 2);
    }
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool PortFree(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool free = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return free;
}

std::string Tail(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

// A throwaway cluster: initdb, start, and on destruction stop and remove everything.
class Server {
 public:
  ~Server() {
    if (started_)
      Run({(bin_ / "pg_ctl").string(), "stop", "-D", data_.string(), "-m", "fast", "-w"}, as_postgres_, log_);
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  // Empty on success, else why not.
  std::string Start(const fs::path& bin) {
    bin_ = bin;
    as_postgres_ = geteuid() == 0;
    char tmpl[] = "/tmp/pg_peer.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return std::string("mkdtemp: ") + std::strerror(errno);
    dir_ = tmpl;
    data_ = dir_ / "data";
    log_ = dir_ / "setup.log";
    if (as_postgres_) {
      passwd* pw = getpwnam("postgres");
      if (pw == nullptr) return "running as root and there is no postgres system user to run PostgreSQL as";
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) return std::string("chown: ") + std::strerror(errno);
    }
    // --no-sync: initdb's own files are not flushed (the cluster is throwaway); the server runs with fsync=on.
    if (Run({(bin_ / "initdb").string(), "-D", data_.string(), "-U", "switchboard", "--auth=trust", "--no-locale", "-E",
             "UTF8", "--no-sync"},
            as_postgres_, log_) != 0) {
      return "initdb failed: " + Tail(log_);
    }
    for (int port = 54320; port < 54420; ++port) {
      if (!PortFree(port)) continue;
      std::string opts = "-p " + std::to_string(port) +
                         " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir_.string() +
                         " -c fsync=on -c synchronous_commit=on -c full_page_writes=on";
      if (Run({(bin_ / "pg_ctl").string(), "start", "-D", data_.string(), "-w", "-t", "60", "-l",
               (dir_ / "server.log").string(), "-o", opts},
              as_postgres_, log_) == 0) {
        started_ = true;
        port_ = port;
        return "";
      }
      started_ = true;  // it may be half up: stop it before trying the next port
      Run({(bin_ / "pg_ctl").string(), "stop", "-D", data_.string(), "-m", "immediate", "-w"}, as_postgres_, log_);
      started_ = false;
    }
    return "could not start postgres on a free port from 54320: " + Tail(dir_ / "server.log");
  }

  int port() const { return port_; }

 private:
  fs::path bin_, dir_, data_, log_;
  bool as_postgres_ = false;
  bool started_ = false;
  int port_ = 0;
};

std::string Show(PGconn* conn, const char* setting) {
  PGresult* r = PQexec(conn, (std::string("SHOW ") + setting).c_str());
  std::string v = PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 0) : "?";
  PQclear(r);
  return v;
}

bool Exec(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) std::fprintf(stderr, "%s: %s", sql.c_str(), PQerrorMessage(conn));
  PQclear(r);
  return ok;
}

void PutBE(std::string& out, std::uint64_t v, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// One multi-row INSERT per batch, a prepared statement per batch size, parameters in binary. One statement
// outside BEGIN is one transaction: its commit waits for the WAL flush.
bool InsertBatch(PGconn* conn, const std::vector<Row>& rows, std::size_t from, std::size_t n,
                 std::map<std::size_t, std::string>* prepared) {
  auto it = prepared->find(n);
  if (it == prepared->end()) {
    std::string sql = "INSERT INTO events (stream_id, stream_version, type, payload) VALUES ";
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t p = 4 * i;
      sql += (i ? ",(" : "(") + ("$" + std::to_string(p + 1)) + "::text,$" + std::to_string(p + 2) + "::int8,$" +
             std::to_string(p + 3) + "::text,$" + std::to_string(p + 4) + "::bytea)";
    }
    std::string name = "ins" + std::to_string(n);
    PGresult* r = PQprepare(conn, name.c_str(), sql.c_str(), static_cast<int>(4 * n), nullptr);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
      std::fprintf(stderr, "prepare: %s", PQerrorMessage(conn));
      return false;
    }
    it = prepared->emplace(n, name).first;
  }
  std::vector<const char*> values(4 * n);
  std::vector<int> lengths(4 * n), formats(4 * n, 1);
  std::vector<std::string> versions(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Row& row = rows[from + i];
    PutBE(versions[i], static_cast<std::uint64_t>(row.version), 8);
    values[4 * i] = row.stream.data(), lengths[4 * i] = static_cast<int>(row.stream.size());
    values[4 * i + 1] = versions[i].data(), lengths[4 * i + 1] = 8;
    values[4 * i + 2] = row.type.data(), lengths[4 * i + 2] = static_cast<int>(row.type.size());
    values[4 * i + 3] = row.payload.data(), lengths[4 * i + 3] = static_cast<int>(row.payload.size());
  }
  PGresult* r = PQexecPrepared(conn, it->second.c_str(), static_cast<int>(4 * n), values.data(), lengths.data(),
                               formats.data(), 0);
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) std::fprintf(stderr, "insert: %s", PQerrorMessage(conn));
  PQclear(r);
  return ok;
}

// One COPY ... FROM STDIN (FORMAT binary) per batch; likewise one transaction each.
bool CopyBatch(PGconn* conn, const std::vector<Row>& rows, std::size_t from, std::size_t n) {
  PGresult* r = PQexec(conn, "COPY events (stream_id, stream_version, type, payload) FROM STDIN (FORMAT binary)");
  bool ok = PQresultStatus(r) == PGRES_COPY_IN;
  PQclear(r);
  if (!ok) {
    std::fprintf(stderr, "copy: %s", PQerrorMessage(conn));
    return false;
  }
  std::string buf("PGCOPY\n\377\r\n\0", 11);
  PutBE(buf, 0, 4);  // flags
  PutBE(buf, 0, 4);  // header extension length
  for (std::size_t i = 0; i < n; ++i) {
    const Row& row = rows[from + i];
    PutBE(buf, 4, 2);
    PutBE(buf, row.stream.size(), 4), buf += row.stream;
    PutBE(buf, 8, 4), PutBE(buf, static_cast<std::uint64_t>(row.version), 8);
    PutBE(buf, row.type.size(), 4), buf += row.type;
    PutBE(buf, row.payload.size(), 4), buf += row.payload;
  }
  PutBE(buf, 0xffff, 2);  // trailer: -1
  if (PQputCopyData(conn, buf.data(), static_cast<int>(buf.size())) != 1 || PQputCopyEnd(conn, nullptr) != 1) {
    std::fprintf(stderr, "copy data: %s", PQerrorMessage(conn));
    return false;
  }
  ok = true;
  while ((r = PQgetResult(conn)) != nullptr) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      std::fprintf(stderr, "copy end: %s", PQerrorMessage(conn));
      ok = false;
    }
    PQclear(r);
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::string from, method = "copy";
  std::size_t batch_size = 256, limit = 0;
  CLI::App app{"Append a log's events to a durable PostgreSQL events table: the PostgreSQL peer"};
  app.add_option("--from", from, "Database written by switchboard run")->required();
  app.add_option("--batch", batch_size, "Events per transaction")->check(CLI::Range(1, 16000));
  app.add_option("--limit", limit, "Only the first N events (0: all)");
  app.add_option(
         "--method", method,
         "copy (default, the faster): one COPY FROM STDIN binary per batch; insert: one multi-row prepared INSERT")
      ->check(CLI::IsMember({"insert", "copy"}));
  CLI11_PARSE(app, argc, argv);

  std::vector<Row> rows;
  {
    std::unique_ptr<switchboard::EventStore> store;
    switchboard::Status s = switchboard::EventStore::Open(from, {}, &store);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      return 2;
    }
    std::map<std::string, std::int64_t> versions;
    bool bad = false;
    (void)store->ScanLog(1, [&](std::uint64_t seq, std::string_view bytes) {
      Row row;
      row.payload.assign(bytes);  // heap copy: 8-byte aligned for the verifier
      const switchboard::fb::Event* e = switchboard::VerifyEvent(row.payload);
      if (e == nullptr) {
        std::fprintf(stderr, "event %llu is not a valid event buffer\n", static_cast<unsigned long long>(seq));
        bad = true;
        return false;
      }
      if (e->conversation() != 0) {
        row.stream = "conversation:" + std::to_string(e->conversation());
      } else if (e->ticket() != 0) {
        row.stream = "ticket:" + std::to_string(e->ticket());
      } else if (e->agent() != nullptr && e->agent()->size() != 0) {
        row.stream = "agent:" + e->agent()->str();
      } else {
        row.stream = "desk";
      }
      row.type = std::string(switchboard::EventTypeName(e->payload_type()));
      row.version = ++versions[row.stream];
      rows.push_back(std::move(row));
      return limit == 0 || rows.size() < limit;
    });
    if (bad) return 2;
  }

  std::optional<fs::path> bin = FindPostgresBin();
  if (!bin) {
    std::printf("{\"skipped\":\"PostgreSQL is not installed (apt-get install postgresql)\"}\n");
    return 0;
  }
  if (geteuid() == 0 && (getpwnam("postgres") == nullptr || !fs::exists("/usr/sbin/runuser"))) {
    std::printf("{\"skipped\":\"running as root without a postgres system user (or runuser) to run PostgreSQL as\"}\n");
    return 0;
  }
  Server server;
  if (std::string why = server.Start(*bin); !why.empty()) {
    std::fprintf(stderr, "%s\n", why.c_str());
    return 2;
  }
  std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server.port()) + " user=switchboard dbname=postgres";
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::fprintf(stderr, "connect: %s", PQerrorMessage(conn.get()));
    return 2;
  }
  if (!Exec(conn.get(),
            "CREATE TABLE events (position bigserial PRIMARY KEY, stream_id text NOT NULL, stream_version bigint NOT "
            "NULL, type text NOT NULL, payload bytea NOT NULL, UNIQUE (stream_id, stream_version))")) {
    return 2;
  }
  std::string fsync = Show(conn.get(), "fsync"), sync_commit = Show(conn.get(), "synchronous_commit");
  std::string wal_sync = Show(conn.get(), "wal_sync_method"), version = Show(conn.get(), "server_version");

  std::map<std::size_t, std::string> prepared;
  std::size_t bytes = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < rows.size(); i += batch_size) {
    std::size_t n = std::min(batch_size, rows.size() - i);
    bool ok = method == "copy" ? CopyBatch(conn.get(), rows, i, n) : InsertBatch(conn.get(), rows, i, n, &prepared);
    if (!ok) return 1;
    for (std::size_t j = i; j < i + n; ++j) bytes += rows[j].payload.size();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  PGresult* r = PQexec(conn.get(), "SELECT count(*) FROM events");
  std::string stored = PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 0) : "?";
  PQclear(r);
  if (stored != std::to_string(rows.size())) {
    std::fprintf(stderr, "stored %s rows, expected %zu\n", stored.c_str(), rows.size());
    return 1;
  }
  std::string how = method == "copy" ? "COPY FROM STDIN (FORMAT binary), one per transaction"
                                     : "multi-row prepared INSERT with binary parameters, one per transaction";
  std::printf(
      "{\"events\":%zu,\"mean_event_bytes\":%zu,\"batch\":%zu,\"seconds\":%.3f,\"events_per_s\":%.0f,"
      "\"method\":\"%s\",\"synchronous_commit\":\"%s\",\"fsync\":\"%s\",\"wal_sync_method\":\"%s\","
      "\"server_version\":\"%s\"}\n",
      rows.size(), rows.empty() ? 0 : bytes / rows.size(), batch_size, seconds, rows.size() / seconds, how.c_str(),
      sync_commit.c_str(), fsync.c_str(), wal_sync.c_str(), version.c_str());
  return 0;
}
