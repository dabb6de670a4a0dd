// The library's version ("MAJOR.MINOR.PATCH"), as built.
#pragma once

namespace switchboard {

const char* Version();

}  // namespace switchboard
