// Placeholder: the randomized routing simulation (issue 4) is being written.
#include <boost/test/unit_test.hpp>
