// What must hold for any input given to the two parsers that read untrusted text: ParseCommand
// (one command line) and ParseConfiguration (one configuration document).
//
// Shared by the fuzz targets (which abort on a problem, so libFuzzer keeps the input) and by the
// regression suite of the normal build (which replays the corpus and every input the fuzzers ever
// crashed on). Each check returns an empty string when all is well, else a sentence naming what broke.
// Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::fuzz {

// A command of a known kind with no error and an id, or kInvalid with a sentence.
std::string CheckCommand(std::string_view line);

// OK with at least one group, a known fallback and a digest, whose canonical document parses again
// to the same digest; or a refusal with a sentence that leaves the output untouched.
std::string CheckConfiguration(std::string_view text);

}  // namespace switchboard::fuzz
