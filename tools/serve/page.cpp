#include "tools/serve/page.h"

#include <map>
#include <string>

namespace switchboard::serve {
namespace {

std::string_view ContentType(std::string_view path) {
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".png")) return "image/png";
  return "application/octet-stream";
}

const std::map<std::string_view, Asset>& Assets() {
  static const std::map<std::string_view, Asset> assets = [] {
    std::map<std::string_view, Asset> out;
    for (std::size_t i = 0; i < kWebFileCount; ++i) {
      const EmbeddedFile& f = kWebFiles[i];
      out[f.path] = Asset{ContentType(f.path), {reinterpret_cast<const char*>(f.data), f.size}};
    }
    return out;
  }();
  return assets;
}

}  // namespace

const Asset* FindAsset(std::string_view path) {
  if (path == "/") path = "/index.html";
  const auto& assets = Assets();
  auto it = assets.find(path);
  return it == assets.end() ? nullptr : &it->second;
}

}  // namespace switchboard::serve
