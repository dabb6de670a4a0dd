// The supervisor page (web/: the monitor of B51 and a ticket's timeline), served by `switchboard
// serve` at `/`. Its files are compiled into the binary at build time (embed_web.cmake), so the
// server needs nothing beside it. They hold no data (the page reads the API with its token), so
// they are served without one.
#pragma once

#include <cstddef>
#include <string_view>

namespace switchboard::serve {

struct Asset {
  std::string_view content_type;
  std::string_view body;
};

// The file a GET of `path` answers ("/" is "/index.html"); nullptr when no file has that path.
const Asset* FindAsset(std::string_view path);

// What the generated source (web_files.cpp) defines: each file of web/ as "/name" and its bytes.
struct EmbeddedFile {
  const char* path;
  const unsigned char* data;
  std::size_t size;
};
extern const EmbeddedFile kWebFiles[];
extern const std::size_t kWebFileCount;

}  // namespace switchboard::serve
