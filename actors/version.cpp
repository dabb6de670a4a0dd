#include "switchboard/version.h"

namespace switchboard {

const char* Version() { return SWITCHBOARD_VERSION; }

}  // namespace switchboard
