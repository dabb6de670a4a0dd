// libFuzzer target: any bytes, as one command line, through ParseCommand (tests/fuzz/parser_checks.h).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fuzz/parser_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string problem =
      switchboard::fuzz::CheckCommand(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problem.empty()) {
    std::fprintf(stderr, "ParseCommand: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
