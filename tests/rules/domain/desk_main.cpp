#define BOOST_TEST_MODULE desk
#include <boost/test/unit_test.hpp>
